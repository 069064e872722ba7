"""One whole Orange Friday week in a real browser, on the product's clock.

Monday: a fan posts an idea and two fans vote for it. Tuesday: an engineer's team claims
the top post from the planning board and marks it shipped. Friday 17:00: `cut_release`
cuts and publishes build YY.M.D, whose notes credit the proposer. Then a voter finds the
pinned announcement on the board, the notification under the bell, and one email (sent
through a real SMTP server) whose unsubscribe link works without logging in.

The clock is moved with time_machine (it moves every thread's clock, the live server's
too) to the Monday after today, so that session cookies set in that week are still valid
in the browser's own, real, time.
"""

import re
from datetime import datetime, time, timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product, Status
from orangefriday.conftest import make_fan
from orangefriday.core.calendar import version_for
from orangefriday.core.events import dispatch
from orangefriday.core.testing.browser import log_in
from orangefriday.core.testing.smtp import SmtpServer
from orangefriday.notifications.delivery import send_pending_emails
from orangefriday.planning.actions import create_team
from orangefriday.voting.actions import cast_vote

from .conftest import SHANGHAI

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

IDEA = "Calls must not interrupt a recording"


def next_monday_morning() -> datetime:
    """09:00 in Shanghai on the first Monday after today (the real today)."""
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(9), SHANGHAI)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".usernav")).to_contain_text("Log in")


def test_one_week_from_the_first_vote_to_the_friday_email(
    page: Page,
    live_server,
    browser_errors: list[str],
    smtp_settings: SmtpServer,
    recorder: Product,
    maya: User,
    alice: User,
    bob: User,
) -> None:
    base = live_server.url
    monday = next_monday_morning()
    friday_cut = monday.replace(hour=17) + timedelta(days=4)
    version = version_for(friday_cut.date())
    with time_machine.travel(monday.timestamp(), tick=True) as clock:
        recorder.created_at = monday - timedelta(days=60)
        recorder.save(update_fields=["created_at"])
        wen = make_fan("wen", "engineer")
        recorder.engineers.add(wen)
        create_team(by=maya, product=recorder, name="Capture", members=[maya, wen])
        carol = make_fan("carol")
        # Another idea with one vote: the plan's top post is whichever the fans lift.
        other = create_post(
            author=carol, product=recorder, kind="idea", title="Upload while recording"
        )
        cast_vote(fan=carol, post_id=other.pk)

        # Monday: alice posts the idea; bob and carol vote for it from the board.
        log_in(page, base, alice)
        page.goto(f"{base}/p/sound-recorder/new/")
        page.get_by_label("Title").fill(IDEA)
        page.get_by_label("Body").fill("A call during an interview stops the recording.")
        page.get_by_role("button", name="Post").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(IDEA)
        idea = Post.objects.get(title=IDEA)
        for voter in (bob, carol):
            log_out(page)
            log_in(page, base, voter)
            page.goto(f"{base}/p/sound-recorder/?sort=new")
            row = page.locator(f'.post-row[data-post-id="{idea.pk}"]')
            row.get_by_test_id("vote-button").click()
            expect(row.get_by_test_id("vote-button")).to_have_attribute("aria-pressed", "true")
        expect(row.get_by_test_id("vote-count")).to_have_text("2")

        # Tuesday: maya's team claims the top post of the plan, then ships it.
        clock.move_to((monday + timedelta(days=1)).timestamp())
        log_out(page)
        log_in(page, base, maya)
        page.goto(f"{base}/p/sound-recorder/plan/")
        top = page.get_by_test_id("plan-row").first
        expect(top.get_by_role("link", name=IDEA)).to_be_visible()
        top.get_by_role("button", name="Claim for Capture").click()
        expect(page.get_by_test_id("plan-row").first).to_have_attribute("data-claimed", "yes")
        page.get_by_test_id("team-capture").get_by_role("link", name=IDEA).click()
        expect(page.get_by_test_id("claim-team")).to_have_text("Capture")
        page.get_by_role("button", name="Mark shipped").click()
        expect(page.get_by_test_id("status")).to_have_text("Shipped")
        assert Post.objects.get(pk=idea.pk).status == Status.SHIPPED

        # Friday 17:00 product time: the release train leaves.
        clock.move_to(friday_cut.timestamp())
        out = StringIO()
        call_command(
            "cut_release",
            "--product=sound-recorder",
            "--channel=developer",
            f"--at={friday_cut.isoformat()}",
            stdout=out,
        )
        assert f"Published {version}" in out.getvalue()
        # The worker's job once the publication committed: the event's consumers tell fans.
        dispatch()

        # Bob finds the pinned announcement, crediting alice and the two voters.
        log_out(page)
        log_in(page, base, bob)
        page.goto(f"{base}/p/sound-recorder/")
        announcement = f"Week 1 release announcement and changelog ({version})"
        page.get_by_test_id("pinned").get_by_role("link", name=announcement).click()
        body = page.get_by_test_id("post-body")
        expect(body).to_contain_text(IDEA)
        expect(body).to_contain_text("proposed by @alice")
        expect(body).to_contain_text("2 fans voted")

        # The bell rings; its notification leads to the build's notes.
        expect(page.get_by_test_id("unread-count")).to_be_visible()
        page.get_by_test_id("bell").click()
        shipped = f"“{IDEA}” shipped in {version}"
        page.get_by_test_id("notification").get_by_role("link", name=shipped).click()
        expect(page).to_have_url(re.compile(r"/builds/\d+/$"))
        expect(page.get_by_test_id("notes")).to_contain_text("proposed by @alice")

        # The worker's job: the outbox goes out through the SMTP server.
        send_pending_emails()
        subject = f"Shipped in Sound Recorder {version}: {IDEA}"
        about_the_build = [m for m in smtp_settings.messages() if m.message["Subject"] == subject]
        assert sorted(m.to for m in about_the_build) == [
            ("alice@example.org",),
            ("bob@example.org",),
            ("carol@example.org",),
        ]
        email = next(m.message for m in about_the_build if m.to == ("bob@example.org",))
        plain = email.get_body(("plain",))
        assert plain is not None and f"/posts/{idea.pk}/" in plain.get_content()
        unsubscribe = re.fullmatch(r"<(.+)>", str(email["List-Unsubscribe"]).strip())
        assert unsubscribe is not None and email["List-Unsubscribe-Post"]

        # The link in the email works for bob without logging in.
        log_out(page)
        page.goto(base + urlsplit(unsubscribe[1]).path)
        page.get_by_test_id("confirm-unsubscribe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert browser_errors == []
