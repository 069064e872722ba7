"""The sales API: launch, reserve, address, buy (Idempotency-Key, problem details, 429 for
a bot without hurting other fans), orders, pay, F-codes, results."""

import pytest
import time_machine

from orangefriday.conftest import make_fan
from orangefriday.sales.actions import reserve
from orangefriday.sales.models import Order

from .conftest import address_of, round_start

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Alice", "line1": "1 Gulou", "city": "Beijing", "postcode": "100000"}


def buy_body(launch, address_id):
    return {"edition": launch.editions.get().pk, "address": address_id}


def test_a_fan_reserves_adds_an_address_and_buys_through_the_api(launch, alice, api_as):
    api = api_as(alice)
    assert api.get("/launches/pro").json()["phase"] == "reservations"
    assert api.put("/launches/pro/reservation").status_code == 200
    shown = api.get("/launches/pro").json()
    assert shown["reserved"] is True and shown["reservations"] == 1
    address = api.post("/me/addresses", ADDRESS)
    assert address.status_code == 201
    round_id = shown["rounds"][0]["id"]
    with time_machine.travel(round_start(launch)):
        bought = api.post(f"/rounds/{round_id}/buy", buy_body(launch, address.json()["id"]))
    assert bought.status_code == 201, bought.content
    order = bought.json()
    assert order["state"] == "held" and order["price"] == "1999.00"
    assert bought["Cache-Control"] == "no-store, private"
    detail = api.get(f"/orders/{order['id']}").json()
    assert [c["to_state"] for c in detail["history"]] == ["held"]
    assert (
        api.post(f"/orders/{order['id']}/pay")
        .json()["redirect"]
        .endswith(f"/sales/pay/test/{order['id']}/")
    )
    assert [o["id"] for o in api.get("/me/orders").json()] == [order["id"]]


def test_buy_answers_sold_out_not_reserved_and_bad_input_as_problems(launch, alice, bob, api_as):
    reserve(fan=alice, launch=launch)
    round_id = launch.rounds.get().pk
    api = api_as(bob)
    address = address_of(bob)
    with time_machine.travel(round_start(launch)):
        refused = api.post(f"/rounds/{round_id}/buy", buy_body(launch, address.pk))
        assert refused.status_code == 403
        assert "reserved" in refused.json()["detail"]
        bad = api.post(f"/rounds/{round_id}/buy", {"edition": "1", "address": address.pk})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "edition"
        assert api.post(f"/rounds/{round_id}/buy", [1, 2]).status_code == 422
        assert (
            api.post(
                f"/rounds/{round_id}/buy", {**buy_body(launch, address.pk), "x": 1}
            ).status_code
            == 422
        )
        assert api.post("/rounds/999999/buy", buy_body(launch, address.pk)).status_code == 404
        assert api.post(f"/rounds/{2**63}/buy", buy_body(launch, address.pk)).status_code in (
            404,
            422,
        )
        anonymous = api_as(None).post(f"/rounds/{round_id}/buy", buy_body(launch, address.pk))
        assert anonymous.status_code == 401


def test_the_same_idempotency_key_buys_once_and_replays_the_answer(launch, alice, api_as):
    reserve(fan=alice, launch=launch)
    api = api_as(alice)
    api.headers["Idempotency-Key"] = "tap-once"
    body = buy_body(launch, address_of(alice).pk)
    round_id = launch.rounds.get().pk
    with time_machine.travel(round_start(launch)):
        first = api.post(f"/rounds/{round_id}/buy", body)
        again = api.post(f"/rounds/{round_id}/buy", body)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Order.objects.count() == 1


def test_a_bot_hammering_buy_gets_429_and_another_fan_still_buys(
    launch, alice, api_as, rate_limits
):
    rate_limits["buy"] = "100/minute"  # a new fan's tenth: 10 a minute
    rate_limits["buy_ip"] = "off"  # both come from the test client's one address
    bot = make_fan("bot")
    for fan in (bot, alice):
        reserve(fan=fan, launch=launch)
    round_id = launch.rounds.get().pk
    bot_api, alice_api = api_as(bot), api_as(alice)
    with time_machine.travel(round_start(launch)):
        bot_body = buy_body(launch, address_of(bot).pk)
        statuses = [
            bot_api.post(f"/rounds/{round_id}/buy", bot_body).status_code for _ in range(15)
        ]
        assert statuses[0] == 201 and set(statuses[1:10]) == {409}
        assert set(statuses[10:]) == {429}
        limited = bot_api.post(f"/rounds/{round_id}/buy", bot_body)
        assert int(limited["Retry-After"]) > 0
        mine = alice_api.post(f"/rounds/{round_id}/buy", buy_body(launch, address_of(alice).pk))
    assert mine.status_code == 201


def test_engineers_issue_fcodes_and_see_results_fans_do_not(launch, maya, alice, api_as):
    engineer, fan = api_as(maya), api_as(alice)
    made = engineer.post("/launches/pro/fcodes", {"count": 2, "holder": "alice"})
    assert made.status_code == 201
    assert [c["code"][:2] for c in made.json()] == ["F-", "F-"]
    assert fan.post("/launches/pro/fcodes", {"count": 1}).status_code == 403
    assert len(fan.get("/me/fcodes").json()) == 2
    gift = fan.post(f"/fcodes/{made.json()[0]['id']}/gift", {"to": "maya"})
    assert gift.status_code == 200 and gift.json()["gifted"] is True
    round_id = launch.rounds.get().pk
    results = engineer.get(f"/rounds/{round_id}/results").json()
    assert results[0]["units"] == 9 and results[0]["sold"] == 0
    assert fan.get(f"/rounds/{round_id}/results").status_code == 403


def test_an_engineer_creates_a_launch_through_the_api(recorder, maya, alice, api_as):
    body = {
        "product": "sound-recorder",
        "slug": "mic",
        "name": "Clip-on mic",
        "reservations_open_at": "2026-12-01T00:00:00Z",
        "reservations_close_at": "2026-12-05T00:00:00Z",
        "editions": [{"name": "White", "price": "199.00", "stock_per_round": 100}],
        "rounds": ["2026-12-06T12:00:00Z", "2026-12-13T12:00:00Z"],
    }
    assert api_as(alice).post("/launches", body).status_code == 403
    made = api_as(maya).post("/launches", body)
    assert made.status_code == 201, made.content
    rounds = made.json()["rounds"]
    assert [r["allocations"][0]["units"] for r in rounds] == [90, 90]
    assert rounds[0]["allocations"][0]["fcode_units"] == 10
    assert api_as(maya).post("/launches", body).status_code == 409
    bad = api_as(maya).post("/launches", {**body, "slug": "mic2", "editions": []})
    assert bad.status_code == 422


def test_only_the_buyer_pays_an_order_its_engineers_see_and_cancel_it(
    launch, alice, maya, api_as, logged_in
):
    """Paying is the buyer's act: the product's engineers read a fan's order and may cancel
    or refund it, but are not sent to pay for it (pages and API alike)."""
    reserve(fan=alice, launch=launch)
    with time_machine.travel(round_start(launch)):
        order = api_as(alice).post(
            f"/rounds/{launch.rounds.get().pk}/buy", buy_body(launch, address_of(alice).pk)
        )
    order_id = order.json()["id"]
    engineer = api_as(maya)
    assert engineer.get(f"/orders/{order_id}").status_code == 200
    refused = engineer.post(f"/orders/{order_id}/pay")
    assert refused.status_code == 403 and "redirect" not in refused.json()
    page = logged_in(maya)
    shown = page.get(f"/orders/{order_id}/")
    assert shown.status_code == 200 and "Pay now" not in shown.content.decode()
    assert page.post(f"/orders/{order_id}/pay/").status_code == 403
    assert page.get(f"/sales/pay/test/{order_id}/").status_code == 403
    assert page.post(f"/sales/pay/test/{order_id}/").status_code == 403
    assert Order.objects.get(pk=order_id).state == "held"
    assert api_as(alice).post(f"/orders/{order_id}/pay").status_code == 200
    assert "Pay now" in logged_in(alice).get(f"/orders/{order_id}/").content.decode()
    assert engineer.post(f"/orders/{order_id}/cancel").json()["state"] == "cancelled"
