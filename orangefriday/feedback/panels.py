"""What feedback shows on the pages of earlier apps (core.panels): the Popcorn Awards on a
post and a team, a build's results link and its figures on the builds list, and "did this
solve it?" on a shipped post and its build."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Post
from orangefriday.planning.models import Team
from orangefriday.releases.models import Build

from .forms import SolvedForm
from .models import Award
from .queries import Question, answer_figures, awards, questions, shipping_builds, summaries
from .solved import Figures

Loaded = dict[Any, dict[str, Any]]


def _awards_by(
    field: str, keys: list[int], loaded: QuerySet[Award] | None = None
) -> dict[int, list[Award]]:
    grouped: dict[int, list[Award]] = defaultdict(list)
    for award in (awards() if loaded is None else loaded).filter(**{f"{field}__in": keys}):
        grouped[getattr(award, f"{field}_id")].append(award)
    return grouped


def post_awards(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    # Only what _post_award.html shows (the build's version, the team): a post's page asks
    # on every request, and the post itself and its change would triple the query's work.
    shown = Award.objects.select_related("build", "team__product")
    found = _awards_by("post", [post.pk for post in posts], shown)
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


def _form(question: Question) -> SolvedForm:
    """The question's form, showing the answer given before."""
    answer = question.answer
    if answer is None:
        return SolvedForm()
    return SolvedForm(
        initial={"solved": "yes" if answer.solved else "no", "comment": answer.comment}
    )


def _questions(request: HttpRequest, posts: Sequence[Post]) -> dict[int, Question]:
    if not posts or not isinstance(request.user, User):
        return {}
    return questions(request.user, posts, now=timezone.now())


def post_solved(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    """Under a shipped post: the answers about the build that shipped it, and the question
    to a voter who may still answer."""
    builds = shipping_builds(post.pk for post in posts)
    figures = answer_figures((post_id, build.pk) for post_id, build in builds.items())
    # Only a post that shipped asks a question: most posts cost no more queries.
    asked = _questions(request, [post for post in posts if post.pk in builds])
    shown: Loaded = {}
    for post_id, build in builds.items():
        question = asked.get(post_id)
        shown[post_id] = {
            "build": build,
            "figures": figures.get((post_id, build.pk), Figures()),
            "question": question,
            "form": _form(question) if question else None,
        }
    return shown


def build_questions(request: HttpRequest, builds: Sequence[Build]) -> Loaded:
    """On a build's page (where the bell's "shipped" notification leads): the question
    about each post of the build the fan voted for."""
    shown: Loaded = {}
    for build in builds:
        posts = [change.post for change in build.changes.select_related("post") if change.post]
        asked = [q for q in _questions(request, posts).values() if q.build.pk == build.pk]
        if asked:
            shown[build.pk] = {"asked": [(q, _form(q)) for q in asked]}
    return shown
