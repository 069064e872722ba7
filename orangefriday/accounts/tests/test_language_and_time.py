"""A fan's language and time zone: the switcher, the setting, the browser's guess."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import User
from orangefriday.core.testing import PASSWORD

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_the_browser_language_chooses_the_page_language(recorder):
    english = Client().get("/")
    chinese = Client().get("/", headers=ZH)
    assert html_lang(english) == "en"
    assert "Log in" in english.content.decode()
    assert html_lang(chinese) == "zh-Hans"
    assert chinese["Content-Language"] == "zh-hans"
    assert "登录" in chinese.content.decode()
    assert "Accept-Language" in chinese["Vary"]


@pytest.mark.django_db
def test_a_visitor_switches_language_and_stays_on_the_page(recorder):
    visitor = Client()
    page = f"/p/{recorder.slug}/?sort=new"
    assert 'value="zh-hans"' in visitor.get(page).content.decode()  # the switcher is there
    response = visitor.post("/accounts/language/", {"language": "zh-hans", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    again = visitor.get(page)
    assert html_lang(again) == "zh-Hans"
    assert 'value="en"' in again.content.decode()  # and switches back
    visitor.post("/accounts/language/", {"language": "en", "next": page})
    assert html_lang(visitor.get(page, headers=ZH)) == "en"  # the choice beats the browser's


@pytest.mark.django_db
def test_the_switcher_never_leads_off_the_site_and_refuses_unknown_languages():
    visitor = Client()
    response = visitor.post(
        "/accounts/language/", {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert visitor.post("/accounts/language/", {"language": "klingon"}).status_code == 400
    assert visitor.get("/accounts/language/").status_code == 405


@pytest.mark.django_db
def test_a_fans_switch_is_their_setting_and_follows_them(alice):
    phone = Client(enforce_csrf_checks=True)
    phone.login(username="alice", password=PASSWORD)
    token = phone.get("/").context["csrf_token"]
    phone.post("/accounts/language/", {"language": "zh-hans", "csrfmiddlewaretoken": token})
    alice.refresh_from_db()
    assert alice.language == "zh-hans"
    laptop = Client()  # another browser, which says English
    laptop.login(username="alice", password=PASSWORD)
    assert html_lang(laptop.get("/", headers={"Accept-Language": "en"})) == "zh-Hans"


@pytest.mark.django_db
def test_a_fans_switch_without_the_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.login(username="alice", password=PASSWORD)
    response = client.post("/accounts/language/", {"language": "zh-hans"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.language == ""


@pytest.mark.django_db
def test_visitors_cached_pages_are_kept_per_language(settings, recorder):
    settings.BOARD_CACHE_SECONDS = 60
    cache.clear()
    try:
        assert html_lang(Client().get("/", headers=ZH)) == "zh-Hans"
        assert html_lang(Client().get("/")) == "en"
        assert html_lang(Client().get("/", headers=ZH)) == "zh-Hans"
    finally:
        cache.clear()


@pytest.mark.django_db
def test_times_are_shown_in_the_fans_zone(alice, logged_in):
    token, _ = create_api_token(user=alice, name="script")
    token.last_used_at = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
    token.save()
    client = logged_in(alice)
    assert "2026-12-02 00:30" in client.get("/accounts/settings/").content.decode()  # UTC
    response = client.post(
        "/accounts/settings/preferences/", {"language": "zh-hans", "time_zone": "Asia/Shanghai"}
    )
    assert response.status_code == 302
    page = client.get("/accounts/settings/").content.decode()
    assert "2026-12-02 08:30" in page
    assert "你的语言和时区已保存。" in page
    alice.refresh_from_db()
    assert (alice.language, alice.time_zone) == ("zh-hans", "Asia/Shanghai")
    client.post("/accounts/settings/preferences/", {"language": "", "time_zone": "America/Lima"})
    assert "2026-12-01 19:30" in client.get("/accounts/settings/").content.decode()


@pytest.mark.django_db
def test_a_zone_that_does_not_exist_is_refused_on_its_field(alice, logged_in):
    client = logged_in(alice)
    response = client.post(
        "/accounts/settings/preferences/", {"language": "en", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    assert response.context["preferences_form"].errors["time_zone"]
    alice.refresh_from_db()
    assert alice.time_zone == ""


@pytest.mark.django_db
def test_changes_are_limited(alice, logged_in, rate_limits):
    rate_limits["preferences"] = "2/hour"
    client = logged_in(alice)
    for zone in ("Asia/Shanghai", "Europe/Paris"):
        assert (
            client.post("/accounts/settings/preferences/", {"time_zone": zone}).status_code == 302
        )
    response = client.post("/accounts/settings/preferences/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Paris"


@pytest.mark.django_db
def test_sign_up_keeps_the_page_language_and_the_browsers_zone():
    client = Client()
    client.get("/accounts/signup/", headers=ZH)
    form = {
        "username": "xiaoming",
        "email": "xiaoming@example.org",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
        "time_zone": "Asia/Shanghai",
    }
    assert client.post("/accounts/signup/", form, headers=ZH).status_code == 200
    fan = User.objects.get(username="xiaoming")
    assert (fan.language, fan.time_zone) == ("zh-hans", "Asia/Shanghai")
    form.update(username="li", email="li@example.org", time_zone="Not/AZone")
    client.post("/accounts/signup/", form)
    assert User.objects.get(username="li").time_zone == ""  # a bad guess is no error
