"""What feedback shows on the pages of earlier apps (core.panels): the Popcorn Awards on a
post and a team, a build's results link and its figures on the builds list."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.board.models import Post
from orangefriday.planning.models import Team
from orangefriday.releases.models import Build

from .models import Award
from .queries import awards, summaries

Loaded = dict[Any, dict[str, Any]]


def _awards_by(field: str, keys: list[int]) -> dict[int, list[Award]]:
    grouped: dict[int, list[Award]] = defaultdict(list)
    for award in awards().filter(**{f"{field}__in": keys}):
        grouped[getattr(award, f"{field}_id")].append(award)
    return grouped


def post_awards(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    found = _awards_by("post", [post.pk for post in posts])
    return {pk: {"awards": found[pk]} for pk in found}


def team_awards(request: HttpRequest, teams: Sequence[Team]) -> Loaded:
    found = _awards_by("team", [team.pk for team in teams])
    return {team.pk: {"awards": found.get(team.pk, [])} for team in teams}


def build_feedback(request: HttpRequest, builds: Sequence[Build]) -> Loaded:
    found = {award.build_id: award for award in awards().filter(build__in=list(builds))}
    return {build.pk: {"award": found.get(build.pk)} for build in builds}


def build_summaries(request: HttpRequest, builds: Sequence[Build]) -> Loaded:
    figures = summaries(builds)
    return {build.pk: {"feedback": figures.get(build.pk)} for build in builds}
