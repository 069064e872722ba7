import re
from typing import Any

from django import forms

from orangefriday.core.bots import HumanCheckMixin

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Category, Kind, Product, Status


class BuildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.version} ({obj.get_channel_display().lower()})"


class PostForm(HumanCheckMixin, forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.IDEA, widget=forms.RadioSelect)
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text="One line that says what you want or what is broken.",
    )
    body = forms.CharField(
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown works: **bold**, lists, [links](https://…).",
    )
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False)
    tags = forms.CharField(
        required=False, max_length=250, help_text="Comma-separated, e.g. battery, lock screen"
    )
    found_in_build = BuildChoiceField(
        queryset=Product.objects.none(),
        required=False,
        label="Found in build",
        empty_label="Choose the build you run",
        help_text="Bug reports: its known issues are listed below, maybe yours is one.",
    )
    device = forms.CharField(
        required=False, max_length=80, help_text="Bug reports: your phone, e.g. Xiaomi 14"
    )
    log = forms.FileField(
        required=False, help_text="Bug reports: a log file, up to 5 MB. Only engineers read it."
    )

    def __init__(self, *args: object, product: Product, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = product.categories.all()
        build_field = self.fields["found_in_build"]
        assert isinstance(build_field, forms.ModelChoiceField)
        # Releases' builds, through the board's string-named foreign key (no import).
        build_field.queryset = product.builds.published().order_by("-cut_at", "-pk")

    @property
    def tag_names(self) -> list[str]:
        return self.cleaned_data["tags"].split(",")


def post_number(value: str, error: str) -> int:
    """The post a fan means by its number or its address (e.g. /posts/12/)."""
    match = re.search(r"(\d+)/?$", value.strip())
    if not match:
        raise forms.ValidationError(error)
    return int(match.group(1))


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Add to the discussion"}),
        label="Comment",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Status.choices if value != Status.DUPLICATE]
    )
    note = forms.CharField(
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Official response",
        help_text="Shown on the post's timeline and sent to its followers. Markdown works.",
    )


class MergeForm(forms.Form):
    original = forms.CharField(
        max_length=200,
        label="Merge into",
        help_text="The original post: its number or its address, e.g. /posts/12/",
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_original(self) -> int:
        return post_number(
            self.cleaned_data["original"], "Give the original post's number or address."
        )
