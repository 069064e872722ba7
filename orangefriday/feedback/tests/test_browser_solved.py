"""Must show (issue 12): a post ships in a Friday build; its voters answer "no" from the
links in the build's email, in a browser, without logging in; once enough of them said no
the post is open again with the system note naming the build; the insights page shows the
lead time from post to ship."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.insights.refresh import refresh_week_figures
from orangefriday.notifications.models import OutboxEmail
from orangefriday.planning.actions import claim_post, create_team, ship_claimed_post
from orangefriday.releases.cuts import cut_developer_build
from orangefriday.releases.publishing import publish_build
from orangefriday.voting.actions import cast_vote

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

NO_LINK = re.compile(r"No: http://[^/\s]+(/solved/\S+/\?answer=no)")


def test_voters_say_no_from_the_email_and_the_post_is_open_again(
    page: Page,
    live_server,
    browser_errors: list[str],
    settings,
    recorder: Product,
    maya: User,
    alice: User,
) -> None:
    settings.SOLVED_REOPEN_MIN_ANSWERS = 3
    settings.SOLVED_REOPEN_SHARE = 0.6
    recorder.created_at = timezone.now() - timedelta(days=60)
    recorder.save()
    lee = make_fan("lee", "engineer")
    recorder.engineers.add(lee)
    team = create_team(by=maya, product=recorder, name="Rockets", members=[maya, lee])
    idea = create_post(author=alice, product=recorder, kind="idea", title="Pause during calls")
    voters = [make_fan(f"voter{i}") for i in range(3)]
    for voter in voters:
        cast_vote(fan=voter, post_id=idea.pk)
    claim_post(by=maya, team=team, post=idea)
    ship_claimed_post(by=maya, post=idea)
    # Shipped a week ago, so that last Friday's build (whatever today is) carries it.
    Post.objects.filter(pk=idea.pk).update(shipped_at=timezone.now() - timedelta(days=8))
    build = cut_developer_build(product=recorder, at=timezone.now()).build
    assert build is not None
    build = publish_build(by=None, build=build)
    assert build.published_at is not None
    # Posted ten days before the build was out: the lead time the insights show.
    Post.objects.filter(pk=idea.pk).update(created_at=build.published_at - timedelta(days=10))
    dispatch()  # after the publication's commit: the build's emails
    base = live_server.url

    for number, voter in enumerate(voters, start=1):
        email = OutboxEmail.objects.get(fan=voter, key__startswith="build:")
        link = NO_LINK.search(email.body)
        assert link is not None, email.body
        page.goto(base + link.group(1))  # nobody is logged in
        expect(page.get_by_role("heading", level=1)).to_have_text("Did this solve it?")
        expect(page.get_by_label("No, not solved")).to_be_checked()  # chosen by the link
        page.get_by_label("Anything to add? (optional)").fill("It still records the call")
        page.get_by_role("button", name="Send my answer").click()
        expect(page.locator(".messages")).to_contain_text("your answer is saved")
        expect(page.get_by_test_id("your-answer")).to_have_text("You said it is not solved.")
        expect(page.get_by_test_id("solved-figures")).to_contain_text(
            f"solved for 0% of {number} voter"
        )
        dispatch()  # the answer's follow-up: the reopening rule
    expect(page.get_by_role("link", name="Log in")).to_be_visible()  # still logged out

    page.get_by_role("link", name="Pause during calls").click()
    expect(page.get_by_test_id("status")).to_have_text("Open")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("system-note").last).to_have_text("Orange Friday")
    expect(timeline).to_contain_text(
        f"Reopened: 3 of the 3 voters who answered said that Sound Recorder {build.version} "
        "did not solve it."
    )
    expect(page.get_by_test_id("post-solved")).to_contain_text(
        "solved for 0% of 3 voters who answered"
    )

    refresh_week_figures()  # the scheduler's job
    page.goto(f"{base}/p/sound-recorder/insights/")
    expect(page.get_by_test_id("lead-time")).to_have_text("10.0 days")
    expect(page.get_by_test_id("chart-lead-time")).to_be_visible()
    assert browser_errors == []
