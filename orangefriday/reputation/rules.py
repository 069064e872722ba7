"""The published rules: what earns and costs points, the levels and the medals. Pure
functions over settings; /about/points/ and the API show these values."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every reason a ledger row can have, in the order the rules page lists them, with what
# earns (or costs) it. The points are settings.REPUTATION_POINTS[reason].
REASONS: dict[str, Promise] = {
    "idea_shipped": _("An idea of yours ships in a build (shipped by someone else)"),
    "popcorn_award": _("A change you proposed wins the Popcorn Award"),
    "post_featured": _("A moderator features your post"),
    "known_issue": _("Your bug report is confirmed as a known issue of a build"),
    "votes_milestone": _("Your post reaches a vote milestone"),
    "flag_upheld": _("A flag you raised is upheld"),
    "report_filed": _("You file a four-grid report on a build (in its window)"),
    "solution_answered": _("You answer “did this solve it?”"),
    "rating_given": _("You rate a build's stability"),
    "comment_removed": _("A moderator removes your comment"),
    "flag_rejected": _("A flag you raised is rejected"),
    "post_removed": _("A moderator removes your post"),
    "silenced": _("You are silenced"),
    "suspended": _("You are suspended"),
}

# The rows that undo an earlier one of the same thing (ledger.balance): their points are
# not a setting but whatever that thing holds, so a fan gets back exactly what was taken,
# or gives back exactly what was earned, even if the setting changed meanwhile.
GIVEN_BACK: dict[str, Promise] = {
    "post_unfeatured": _("Your post is no longer featured: the points it earned are taken back"),
    "post_restored": _("A moderator restores your post: the points it cost come back"),
    "comment_restored": _("A moderator restores your comment: the points it cost come back"),
}

# What costs a tester standing (settings.TESTER_DEDUCTIONS[reason] points off).
DEDUCTION_REASONS: dict[str, Promise] = {
    "comment_removed": _("A moderator removed your comment"),
    "post_removed": _("A moderator removed your post"),
    "flag_upheld_against": _("A flag against your content was upheld"),
    "silenced": _("You were silenced"),
    "suspended": _("You were suspended"),
}


def points_for(reason: str) -> int:
    return int(settings.REPUTATION_POINTS[reason])


LEVEL_NAMES: Sequence[Promise] = (
    _("Newcomer"),
    _("Fan"),
    _("Enthusiast"),
    _("Insider"),
    _("Expert"),
    _("Legend"),
)


@dataclass(frozen=True)
class Level:
    number: int  # 1 for the first
    name: str
    starts_at: int
    next_at: int | None  # the points the next level starts at; None for the last


def levels() -> list[Level]:
    starts = sorted(settings.REPUTATION_LEVELS)[: len(LEVEL_NAMES)]
    return [
        Level(i + 1, str(LEVEL_NAMES[i]), start, starts[i + 1] if i + 1 < len(starts) else None)
        for i, start in enumerate(starts)
    ]


def level_for(points: int) -> Level:
    """The highest level whose threshold the points reach (the first, below zero too)."""
    found = levels()
    reached = [level for level in found if points >= level.starts_at]
    return reached[-1] if reached else found[0]


@dataclass(frozen=True)
class MedalRule:
    code: str
    name: Promise
    reason: str  # the ledger reason it counts
    count: int  # how many such rows reach it

    @property
    def description(self) -> str:
        return str(REASONS[self.reason])


MEDALS: Sequence[MedalRule] = (
    MedalRule("first_adopted", _("First adopted idea"), "idea_shipped", 1),
    MedalRule("five_adopted", _("Five adopted ideas"), "idea_shipped", 5),
    MedalRule("popcorn", _("Popcorn Award"), "popcorn_award", 1),
    MedalRule("bug_hunter", _("Bug hunter: five known issues"), "known_issue", 5),
    MedalRule("ten_reports", _("Ten four-grid reports"), "report_filed", 10),
    # One developer build a week and one report per build: 52 reports are a year of weeks.
    MedalRule("year_of_reports", _("A year of weekly reports"), "report_filed", 52),
    MedalRule("crowd_favourite", _("Crowd favourite: three vote milestones"), "votes_milestone", 3),
)
MEDALS_BY_CODE = {medal.code: medal for medal in MEDALS}


def medals_reached(reason: str, count: int) -> list[MedalRule]:
    """The medals that `count` rows of `reason` reach."""
    return [medal for medal in MEDALS if medal.reason == reason and count >= medal.count]
