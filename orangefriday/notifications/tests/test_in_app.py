"""The bell, the notifications page, and reading them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orangefriday.notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(fan, message: str, minutes_ago: int = 0, url: str = "/") -> Notification:
    return Notification.objects.create(
        fan=fan,
        kind="status",
        message=message,
        url=url,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_the_bell_counts_unread_notifications(logged_in, alice, bob):
    client = logged_in(alice)
    page = client.get("/").content.decode()
    assert 'data-testid="bell"' in page and 'data-testid="unread-count"' not in page

    notify(alice, "one")
    notify(alice, "two")
    notify(bob, "not alice's")
    Notification.objects.create(
        fan=alice, kind="status", message="seen", url="/", read_at=timezone.now()
    )
    assert 'data-testid="unread-count">2<' in client.get("/").content.decode()


def test_the_bell_costs_one_count_query(logged_in, alice):
    notify(alice, "one")
    client = logged_in(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    bell = [q["sql"] for q in queries if Notification._meta.db_table in q["sql"]]
    assert len(bell) == 1 and "COUNT(" in bell[0].upper()


def test_the_bell_stops_counting_at_99(logged_in, alice):
    Notification.objects.bulk_create(
        Notification(fan=alice, kind="status", message=f"n{i}", url="/") for i in range(120)
    )
    assert 'data-testid="unread-count">99+<' in logged_in(alice).get("/").content.decode()


def test_visitors_see_no_bell(client):
    assert 'data-testid="bell"' not in client.get("/").content.decode()


def test_the_page_lists_newest_first_in_pages(logged_in, alice):
    for i in range(25):
        notify(alice, f"Update number {i:02d}", minutes_ago=100 - i)
    client = logged_in(alice)
    first = client.get("/notifications/").content.decode()
    assert first.count('data-testid="notification"') == 20
    assert first.index("Update number 24") < first.index("Update number 23")
    assert "Update number 04" not in first and "?page=2" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5 and "Update number 00" in second


def test_opening_a_notification_marks_it_read_and_goes_there(logged_in, alice):
    notification = notify(alice, "Shipped!", url="/p/sound-recorder/")
    response = logged_in(alice).get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == "/p/sound-recorder/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_never_sends_the_fan_off_site(logged_in, alice):
    notification = notify(alice, "odd", url="https://evil.example/")
    response = logged_in(alice).get(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/notifications/"


def test_another_fans_notification_cannot_be_opened(logged_in, alice, bob):
    notification = notify(alice, "private")
    assert logged_in(bob).get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(logged_in, alice, bob):
    for i in range(3):
        notify(alice, f"n{i}")
    notify(bob, "bob's")
    client = logged_in(alice)
    response = client.post("/notifications/read-all/", follow=True)
    assert "Marked 3 notifications read." in response.content.decode()
    assert not Notification.objects.filter(fan=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(fan=bob, read_at__isnull=True).count() == 1
    assert "Nothing unread." in client.get("/notifications/?unread=1").content.decode()


def test_the_page_needs_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
