"""Bugs per build in the demo: bug reports name the developer build they were found in, the
engineers list the most voted open ones as known issues of the latest builds, and a share
of the fans say they run the newest build (the base of the rollout guard's rate)."""

import random
from dataclasses import dataclass

from orangefriday.accounts.models import User
from orangefriday.board.models import Kind, Post, Product, Status
from orangefriday.releases.installations import declare_running
from orangefriday.releases.issues import mark_known_issue
from orangefriday.releases.models import Build, KnownIssue

KNOWN_ISSUE_BUILDS = 2  # the newest developer builds of each product get a known-issues list
KNOWN_ISSUES_PER_BUILD = 3
RUNNING_SHARE = 0.6  # of the demo fans, run the newest developer build of each product


@dataclass(frozen=True)
class BugCounts:
    named: int
    known_issues: int
    installations: int


def load_bugs(*, rng: random.Random, fans: list[User]) -> BugCounts:
    named = known = running = 0
    for product in Product.objects.prefetch_related("engineers"):
        builds = list(product.builds.developer().published().order_by("-version_date"))
        named += _name_builds(product, builds)
        engineer = product.engineers.order_by("username").first()
        if engineer is not None:
            known += _list_known_issues(engineer, builds)
        if builds:
            for fan in rng.sample(fans, round(len(fans) * RUNNING_SHARE)):
                declare_running(fan=fan, build=builds[0])
                running += 1
    return BugCounts(named, known, running)


def _name_builds(product: Product, builds: list[Build]) -> int:
    """The demo's bug reports carry a version as text; the ones whose build exists name it."""
    named = 0
    for build in builds:
        named += Post.objects.filter(
            product=product, kind=Kind.BUG, build_version=build.version
        ).update(found_in_build=build)
    return named


def _open_bugs(build: Build) -> list[Post]:
    reports = build.bug_reports.filter(status__in=[Status.OPEN, Status.UNDER_REVIEW])
    return list(reports.order_by("-votes_count", "pk")[:KNOWN_ISSUES_PER_BUILD])


def _list_known_issues(engineer: User, builds: list[Build]) -> int:
    """The newest builds' (`builds`: newest first) known issues: the most voted open bugs
    found in each; a build out for only hours, which no fan has reported on yet, carries
    over those of the build before it, as release notes list what is not fixed yet."""
    newest = builds[:KNOWN_ISSUE_BUILDS]
    for build, earlier in zip(newest, [*builds[1:], None], strict=False):
        reports = _open_bugs(build) or (_open_bugs(earlier) if earlier else [])
        for post in reports:
            mark_known_issue(by=engineer, build=build, post=post)
    return KnownIssue.objects.filter(build__in=newest).count()
