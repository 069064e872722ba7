from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Address, Edition


class AddressForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    line1 = forms.CharField(label=_("Address"), max_length=200)
    line2 = forms.CharField(label=_("Address, line 2"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    country = forms.CharField(label=_("Country code"), max_length=2, min_length=2, initial="CN")
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class BuyForm(forms.Form):
    """Which edition, to which address, and an F-code if the fan has one."""

    edition = forms.ModelChoiceField(
        label=_("Edition"), queryset=Edition.objects.none(), empty_label=None
    )
    address = forms.ModelChoiceField(
        label=_("Deliver to"), queryset=Address.objects.none(), empty_label=None
    )
    fcode = forms.CharField(
        label=_("F-code (optional)"),
        max_length=64,
        required=False,
        help_text=_(
            "With an F-code you buy without a reservation, from the stock kept for F-codes."
        ),
    )

    def __init__(
        self, *args: object, editions: object, addresses: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].queryset = editions  # type: ignore[attr-defined]
        self.fields["address"].queryset = addresses  # type: ignore[attr-defined]


class GiftForm(forms.Form):
    to = forms.CharField(label=_("Username of the fan"), max_length=150)
