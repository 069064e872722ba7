from typing import Any

from django import forms

from orangefriday.accounts.models import User
from orangefriday.board.models import Product

from .models import DEFAULT_WEEKLY_CAPACITY
from .rules import MAX_CAPACITY, MAX_MEMBERS, MIN_MEMBERS


class _MembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=f"{MIN_MEMBERS} or {MAX_MEMBERS} engineers of this product.",
    )
    weekly_capacity = forms.IntegerField(
        min_value=0,
        max_value=MAX_CAPACITY,
        initial=DEFAULT_WEEKLY_CAPACITY,
        label="Weekly capacity",
        help_text="How many posts the team takes on per week; unshipped ones roll over.",
    )

    def __init__(self, *args: Any, product: Product, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = product.engineers.order_by("username")


class TeamForm(_MembersForm):
    name = forms.CharField(max_length=80)
    slug = forms.SlugField(
        max_length=50,
        required=False,
        label="Address",
        help_text="Optional; made from the name when left empty.",
    )
    field_order = ["name", "slug", "members", "weekly_capacity"]


class TeamEditForm(_MembersForm):
    pass


class ClaimForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    team = forms.IntegerField(widget=forms.HiddenInput)
