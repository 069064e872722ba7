from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from orangefriday.accounts.models import User
from orangefriday.board.models import Product

from .models import DEFAULT_WEEKLY_CAPACITY
from .rules import MAX_CAPACITY, MAX_MEMBERS, MIN_MEMBERS


class _MembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy(
            gettext_lazy("{low} or {high} engineers of this product."),
            low=MIN_MEMBERS,
            high=MAX_MEMBERS,
        ),
    )
    weekly_capacity = forms.IntegerField(
        min_value=0,
        max_value=MAX_CAPACITY,
        initial=DEFAULT_WEEKLY_CAPACITY,
        label=gettext_lazy("Weekly capacity"),
        help_text=gettext_lazy(
            "How many posts the team takes on per week; unshipped ones roll over."
        ),
    )

    def __init__(self, *args: Any, product: Product, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = product.engineers.order_by("username")


class TeamForm(_MembersForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    slug = forms.SlugField(
        max_length=50,
        required=False,
        label=gettext_lazy("Address"),
        help_text=gettext_lazy("Optional; made from the name when left empty."),
    )
    field_order = ["name", "slug", "members", "weekly_capacity"]


class TeamEditForm(_MembersForm):
    pass


class ClaimForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    team = forms.IntegerField(widget=forms.HiddenInput)
