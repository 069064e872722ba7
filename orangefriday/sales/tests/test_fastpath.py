"""The production server's lean buy path answers as the API's route does, and everything
else still reaches Django."""

import json

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from orangefriday.accounts.actions import create_api_token
from orangefriday.core.fastpath import LeanApiPath
from orangefriday.core.testing.wsgi import serve
from orangefriday.sales.actions import reserve
from orangefriday.sales.fastpath import BUY
from orangefriday.sales.models import Order

from .conftest import address_of, round_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_the_test_connection")]


def call(app, environ):
    """The answer's status code, headers (a dict) and body."""
    status, headers, body = serve(app, environ)
    return int(status.split()[0]), dict(headers), body


def buy_environ(path, body, token):
    return (
        RequestFactory()
        .post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        .environ
    )


def test_the_lean_path_buys_refuses_and_leaves_other_paths_to_django(launch, alice, bob):
    app = LeanApiPath(WSGIHandler(), [BUY])
    reserve(fan=alice, launch=launch)
    _, alice_token = create_api_token(user=alice, name="shop")
    _, bob_token = create_api_token(user=bob, name="shop")
    sale_round = launch.rounds.get()
    path = f"/api/v1/rounds/{sale_round.pk}/buy"
    body = {"edition": launch.editions.get().pk, "address": address_of(alice).pk}
    with time_machine.travel(round_start(launch)):
        status, headers, content = call(app, buy_environ(path, body, alice_token))
        assert status == 201, content
        assert json.loads(content)["state"] == "held"
        assert headers["Content-Type"] == "application/json"
        status, headers, content = call(app, buy_environ(path, body, alice_token))
        assert status == 409 and headers["Content-Type"] == "application/problem+json"
        bob_body = {**body, "address": address_of(bob).pk}
        assert call(app, buy_environ(path, bob_body, bob_token))[0] == 403
        assert call(app, buy_environ(path, body, "of_made_up"))[0] == 401
    assert Order.objects.count() == 1
    other = RequestFactory().get("/api/v1/launches/pro").environ
    status, _, content = call(app, other)
    assert status == 200 and json.loads(content)["slug"] == "pro"
