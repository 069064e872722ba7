"""Payment providers. A provider takes the fan to its own page (a redirect) and later tells
us, by a signed request to our webhook, that the order was paid; we store its reference
and the amount, never card data.

One provider is built in, `test`: it works offline for the demo and the tests. Its
"checkout" is our own test-payment page (/sales/pay/test/<order>/) standing in for the
provider's; its Pay button has the provider send the signed confirmation, over HTTP, to
our webhook endpoint (/sales/webhooks/test/), exactly as a real one would, so the whole
flow (redirect, signature, idempotent handling of a repeated confirmation) runs end to end.
A real provider is another class with the same three methods, named in SALES_PAYMENT_PROVIDER.
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.conf import settings
from django.urls import reverse

from .models import Order

SIGNATURE_HEADER = "X-Test-Signature"
# A confirmation signed longer ago than this is refused (a replayed old request).
SIGNATURE_TOLERANCE_SECONDS = 300


class BadConfirmation(Exception):
    """The webhook's request is not a valid, signed confirmation."""


@dataclass(frozen=True)
class Confirmation:
    order_id: int
    reference: str
    amount: Decimal
    currency: str


class Provider(Protocol):
    name: str

    def checkout_url(self, order: Order) -> str:
        """Where the fan is sent to pay the order."""
        ...

    def parse_webhook(self, body: bytes, headers: dict[str, str]) -> Confirmation:
        """The confirmation a webhook request carries; BadConfirmation if it is not one."""
        ...


def _secret() -> bytes:
    return settings.SALES_TEST_PROVIDER_SECRET.encode()


def sign(body: bytes, *, at: int) -> str:
    mac = hmac.new(_secret(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


class TestProvider:
    """The built-in offline provider (see the module's docstring)."""

    name = "test"

    def checkout_url(self, order: Order) -> str:
        return reverse("sales:test_payment", args=[order.pk])

    def confirmation(self, order: Order) -> tuple[bytes, str]:
        """What the provider sends once the fan paid: the body and its signature."""
        body = json.dumps(
            {
                "type": "payment.succeeded",
                "order": order.pk,
                "reference": "test_" + secrets.token_hex(8),
                "amount": str(order.price),
                "currency": order.currency,
            }
        ).encode()
        return body, sign(body, at=int(time.time()))

    def parse_webhook(self, body: bytes, headers: dict[str, str]) -> Confirmation:
        signature = headers.get(SIGNATURE_HEADER, "")
        parts = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
        try:
            at = int(parts.get("t", ""))
        except ValueError as error:
            raise BadConfirmation("no signature") from error
        if abs(time.time() - at) > SIGNATURE_TOLERANCE_SECONDS:
            raise BadConfirmation("signed too long ago")
        if not hmac.compare_digest(sign(body, at=at), signature):
            raise BadConfirmation("bad signature")
        try:
            data = json.loads(body)
            return Confirmation(
                order_id=int(data["order"]),
                reference=str(data["reference"])[:100],
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"])[:3],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise BadConfirmation("not a confirmation") from error


def provider() -> Provider:
    return {"test": TestProvider()}[settings.SALES_PAYMENT_PROVIDER]


def send_webhook(url: str, body: bytes, signature: str) -> int:
    """The test provider's call to our webhook endpoint: a real HTTP request."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
