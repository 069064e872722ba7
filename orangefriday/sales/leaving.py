"""Direct sales' part of a fan's data: reservations, delivery addresses, orders, F-codes, and
how many fans they referred (not who: that is the referred fans')."""

from orangefriday.accounts import erasure, export
from orangefriday.accounts.models import User

from .models import Address, FCode, Order, Referral, Reservation


def _sales(fan: User) -> dict:
    return {
        "reservations": export.rows(
            Reservation.objects.filter(fan=fan), "launch__name", "created_at"
        ),
        "addresses": export.rows(
            Address.objects.filter(fan=fan),
            "name",
            "line1",
            "line2",
            "city",
            "postcode",
            "country",
            "phone",
            "created_at",
        ),
        "orders": export.rows(
            Order.objects.filter(fan=fan),
            "id",
            "state",
            "price",
            "currency",
            "created_at",
            "paid_at",
        ),
        "fcodes": export.rows(
            FCode.objects.filter(holder=fan),
            "code",
            "launch__name",
            "reason",
            "issued_at",
            "used_at",
            "voided_at",
        ),
        "referred_fans": Referral.objects.filter(referrer=fan).count(),
    }


export.register("sales", _sales)


def _erase(fan: User, keep_content: bool) -> None:
    Reservation.objects.filter(fan=fan).delete()
    Address.objects.filter(fan=fan, orders__isnull=True).delete()
    # An address an order was sent to stays for the order's books (and a round's "once per
    # address" rule, by its key), without the person: their name, phone and street.
    Address.objects.filter(fan=fan).update(name="", phone="", line1="", line2="")


erasure.register("sales", _erase)
