"""Paying through the built-in test provider: its page, its signed confirmation to our
webhook, repeated confirmations, forged or late ones. No card data anywhere."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from orangefriday.sales import payments
from orangefriday.sales.actions import reserve
from orangefriday.sales.models import Allocation, Order, OrderState, Payment

from .conftest import round_start
from .test_buying import attempt

pytestmark = pytest.mark.django_db

WEBHOOK = "/sales/webhooks/test/"


def post_webhook(body: bytes, signature: str):
    return Client().post(
        WEBHOOK, data=body, content_type="application/json", headers={"X-Test-Signature": signature}
    )


@pytest.fixture
def webhook_through_client(monkeypatch):
    """The provider's HTTP call to our endpoint, through the test client (no server here)."""
    sent = []

    def send(url: str, body: bytes, signature: str) -> int:
        sent.append(body)
        return post_webhook(body, signature).status_code

    monkeypatch.setattr(payments, "send_webhook", send)
    return sent


@pytest.fixture
def held(launch, alice):
    reserve(fan=alice, launch=launch)
    with time_machine.travel(round_start(launch)):
        return attempt(alice, launch)


def test_the_fan_pays_on_the_test_page_and_the_signed_webhook_marks_it_paid(
    held, alice, logged_in, webhook_through_client
):
    client = logged_in(alice)
    with time_machine.travel(held.created_at + timedelta(minutes=5)):
        response = client.post(f"/orders/{held.pk}/pay/")
        assert response.url == f"/sales/pay/test/{held.pk}/"
        page = client.get(response.url)
        assert "1999.00 CNY" in page.content.decode()
        done = client.post(response.url)
    assert done.url == f"/orders/{held.pk}/"
    held.refresh_from_db()
    assert held.state == OrderState.PAID
    assert [c.to_state for c in held.history.all()] == ["held", "paid"]
    (payment,) = Payment.objects.all()
    assert payment.amount == held.price and payment.reference.startswith("test_")
    assert "card" not in json.loads(webhook_through_client[0])


def test_a_repeated_confirmation_is_one_payment(held):
    body, signature = payments.TestProvider().confirmation(held)
    with time_machine.travel(held.created_at + timedelta(minutes=1), tick=False):
        body, signature = payments.TestProvider().confirmation(held)
        assert post_webhook(body, signature).status_code == 200
        assert post_webhook(body, signature).status_code == 200
    assert Payment.objects.count() == 1
    assert held.history.count() == 2


def test_a_forged_or_old_confirmation_is_refused(held):
    body, signature = payments.TestProvider().confirmation(held)
    assert post_webhook(body.replace(b"1999.00", b"1.00"), signature).status_code == 400
    old = payments.sign(body, at=int(time.time()) - 3600)
    assert post_webhook(body, old).status_code == 400
    assert post_webhook(b"[]", payments.sign(b"[]", at=int(time.time()))).status_code == 400
    assert Order.objects.get().state == OrderState.HELD


def test_a_payment_after_the_15_minutes_is_refused_and_the_unit_goes_back(held):
    with time_machine.travel(held.held_until + timedelta(seconds=1)):
        body, signature = payments.TestProvider().confirmation(held)
        assert post_webhook(body, signature).status_code == 409
    held.refresh_from_db()
    assert held.state == OrderState.EXPIRED
    assert Allocation.objects.get().units_left == 9
