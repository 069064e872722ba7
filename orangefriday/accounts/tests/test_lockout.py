"""Log-in lockout: 5 wrong passwords lock that account from that address for 15 minutes
(the right one is refused meanwhile, and the fan is told until when), longer each time;
30 from one address lock the address; other fans and other addresses are unaffected."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.accounts.models import Role
from orangefriday.conftest import make_fan
from orangefriday.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def log_in(client, username: str, password: str, ip: str = ATTACKER, path="/accounts/login/"):
    client.logout()
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in_as(response) -> str:
    return response.wsgi_request.user.username if response.status_code == 302 else ""


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_five_wrong_passwords_lock_the_account_from_that_address(client, alice, clock):
    for _ in range(4):
        assert "correct username and password" in errors(log_in(client, "alice", "wrong"))
    locked = log_in(client, "alice", "wrong")
    assert (
        "Too many wrong passwords for this account from your address: try again in 15 minutes"
        in errors(locked)
    )
    assert locked.context["form"]["username"].value() == "alice"  # what was typed stays

    # The right password is refused too, and says when to try again.
    refused = log_in(client, "alice", PASSWORD)
    assert logged_in_as(refused) == ""
    assert "try again in 15 minutes" in errors(refused)

    # Alice from her own address, and Bob from the attacker's, are not affected.
    assert logged_in_as(log_in(client, "alice", PASSWORD, ip="198.51.100.4")) == "alice"
    make_fan("bob")
    assert logged_in_as(log_in(client, "bob", PASSWORD)) == "bob"

    clock.shift(timedelta(minutes=15, seconds=1))
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == "alice"


def test_each_further_lock_lasts_twice_as_long(client, alice, clock):
    for _ in range(5):
        log_in(client, "alice", "wrong")
    clock.shift(timedelta(minutes=15, seconds=1))
    for _ in range(4):
        log_in(client, "alice", "wrong")
    assert "try again in 30 minutes" in errors(log_in(client, "alice", "wrong"))
    clock.shift(timedelta(minutes=16))
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == ""
    clock.shift(timedelta(minutes=15))
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == "alice"


def test_the_right_password_starts_the_count_again(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong")
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == "alice"
    for _ in range(4):
        log_in(client, "alice", "wrong")
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == "alice"


def test_thirty_failures_from_one_address_lock_it_for_every_account(client, alice, clock):
    for n in range(29):
        log_in(client, f"guess{n}", "wrong")
    locked = log_in(client, "guess-last", "wrong")
    assert "Too many wrong passwords from your address: try again in 15 minutes" in errors(locked)
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == ""
    assert logged_in_as(log_in(client, "alice", PASSWORD, ip="198.51.100.4")) == "alice"


def test_the_admin_log_in_is_locked_the_same_way(client, clock):
    admin = make_fan("root", Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for _ in range(5):
        response = log_in(client, "root", "wrong", path="/admin/login/")
    assert "try again in 15 minutes" in response.content.decode()
    refused = log_in(client, "root", PASSWORD, path="/admin/login/")
    assert refused.status_code == 200 and "try again in" in refused.content.decode()
    assert client.get("/admin/").status_code == 302  # still not in


def change_password(client, old: str, ip: str = ATTACKER):
    return client.post(
        "/accounts/password/",
        {
            "old_password": old,
            "new_password1": "a-new-long-one-9",
            "new_password2": "a-new-long-one-9",
        },
        REMOTE_ADDR=ip,
    )


def test_the_password_change_form_guesses_count_and_a_lock_refuses_it(client, alice, clock):
    """A stolen session cannot guess the old password on the change form: its wrong guesses
    lock the account from that address like the log-in's, and the lock refuses even the
    right old password there until it ends."""
    client.force_login(alice)
    for _ in range(4):
        wrong = change_password(client, "wrong")
        assert wrong.status_code == 200
        assert "Your old password was entered incorrectly" in str(wrong.context["form"].errors)
    locked = change_password(client, "wrong")
    assert "try again in 15 minutes" in str(locked.context["form"].errors)
    refused = change_password(client, PASSWORD)
    assert refused.status_code == 200 and "try again in 15 minutes" in str(
        refused.context["form"].errors
    )
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)  # unchanged
    # The log-in from that address is locked too: it is the same count.
    assert logged_in_as(log_in(client, "alice", PASSWORD)) == ""

    clock.shift(timedelta(minutes=15, seconds=1))
    client.force_login(alice)
    assert change_password(client, PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-one-9")
