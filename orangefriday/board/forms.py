import re
from typing import Any

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orangefriday.core.bots import HumanCheckMixin
from orangefriday.core.forms import LongTextField

from .actions import ImageUpload
from .models import (
    BODY_MAX_LENGTH,
    IMAGE_ALT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Kind,
    Post,
    Product,
    Status,
)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.local_name  # the page's language (board.models.own_text)


class BuildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.version} ({obj.get_channel_display().lower()})"


# What a file chooser offers; core.images decides what is taken.
IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


class PostForm(HumanCheckMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, initial=Kind.IDEA, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text=_("One line that says what you want or what is broken."),
    )
    body = LongTextField(
        label=_("Body"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works: **bold**, lists, [links](https://…)."),
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=250,
        help_text=_("Comma-separated, e.g. battery, lock screen"),
    )
    found_in_build = BuildChoiceField(
        queryset=Product.objects.none(),
        required=False,
        label=_("Found in build"),
        empty_label=_("Choose the build you run"),
        help_text=_("Bug reports: its known issues are listed below, maybe yours is one."),
    )
    device = forms.CharField(
        label=_("Device"),
        required=False,
        max_length=80,
        help_text=_("Bug reports: your phone, e.g. Xiaomi 14"),
    )
    log = forms.FileField(
        label=_("Log"),
        required=False,
        help_text=_("Bug reports: a log file, up to 5 MB. Only engineers read it."),
    )

    def __init__(self, *args: object, product: Product, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = product.categories.all()
        build_field = self.fields["found_in_build"]
        assert isinstance(build_field, forms.ModelChoiceField)
        # Releases' builds, through the board's string-named foreign key (no import).
        build_field.queryset = product.builds.for_everyone().order_by("-cut_at", "-pk")
        for number in range(1, settings.POST_IMAGES_MAX + 1):
            self.fields[f"image_{number}"] = forms.FileField(
                required=False,
                label=_("Image %(number)s") % {"number": number},
                widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                required=False,
                max_length=IMAGE_ALT_MAX_LENGTH,
                label=_("What image %(number)s shows") % {"number": number},
            )

    @property
    def image_side(self) -> int:
        return settings.POST_IMAGE_MAX_SIDE

    def image_slots(self) -> list[tuple[BoundField, BoundField]]:
        """Each image field with its description's field, for the template."""
        return [
            (self[f"image_{number}"], self[f"alt_{number}"])
            for number in range(1, settings.POST_IMAGES_MAX + 1)
        ]

    def image_uploads(self) -> list[ImageUpload]:
        """The images chosen, each with its description; an error names its slot."""
        return [
            ImageUpload(
                file=self.cleaned_data[f"image_{number}"],
                alt=self.cleaned_data[f"alt_{number}"],
                field=f"image_{number}",
                alt_field=f"alt_{number}",
            )
            for number in range(1, settings.POST_IMAGES_MAX + 1)
            if self.cleaned_data.get(f"image_{number}")
        ]

    def clean(self) -> dict[str, Any]:
        """Without JavaScript every field is shown; what a fan filled in the bug fields and
        then chose another kind is dropped, not refused."""
        cleaned = super().clean() or {}
        if cleaned.get("kind") != Kind.BUG:
            cleaned.update(found_in_build=None, device="", log=None)
        return cleaned

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
    body = LongTextField(
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("Add to the discussion")}),
        label=_("Comment"),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def offering_mentions(self, post: Post) -> "CommentForm":
        """The body offers @names of the thread's fans as the fan types (mentions.js)."""
        url = reverse("api:post_participants", args=[post.pk])
        self.fields["body"].widget.attrs["data-mentions"] = url
        return self


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in Status.choices if value != Status.DUPLICATE],
    )
    note = LongTextField(
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Official response"),
        help_text=_("Shown on the post's timeline and sent to its followers. Markdown works."),
    )


class MergeForm(forms.Form):
    original = forms.CharField(
        max_length=200,
        label=_("Merge into"),
        help_text=_("The original post: its number or its address, e.g. /posts/12/"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_original(self) -> int:
        return post_number(
            self.cleaned_data["original"], str(_("Give the original post's number or address."))
        )


class EditPostForm(forms.Form):
    """What a post's author may change (a bug's build, device and log stay as reported)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = LongTextField(
        label=_("Body"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=250, help_text=_("Comma-separated")
    )

    def __init__(self, *args: object, product: Product, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)
        category_field.queryset = product.categories.all()

    @property
    def tag_names(self) -> list[str]:
        return self.cleaned_data["tags"].split(",")


class PreviewForm(forms.Form):
    body = LongTextField(required=False, max_length=BODY_MAX_LENGTH)


class EditCommentForm(forms.Form):
    body = LongTextField(
        label=_("Comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
