"""Reads of the weekly plan: team loads, the planning board, a team's history."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.ranked import BEST, BoardFilter, board_posts, ranked_page
from orangefriday.core.calendar import week_start

from .models import Claim, Team
from .permissions import is_admin
from .rules import CLAIMABLE_STATUSES, DROPPED_STATUSES, free_slots, week_begins

# How many of the top posts the planning board lists.
TOP_SIZE = 20
HISTORY_SIZE = 50


def counted_claims(week_began: datetime) -> Q:
    """Claims holding a slot in the week that began at `week_began`: rules.counts_toward_load
    as a filter on Claim."""
    return Q(post__shipped_at__gte=week_began) | (
        Q(post__shipped_at__isnull=True) & ~Q(post__status__in=DROPPED_STATUSES)
    )


def team_load(team: Team, *, now: datetime) -> int:
    """How many of its weekly slots the team has used: unshipped claims (whatever week they
    were made in) plus the claims shipped since this week began."""
    began = week_begins(now, team.product.time_zone)
    return team.claims.filter(counted_claims(began)).count()


@dataclass(frozen=True)
class TeamWeek:
    """One team's column on the planning board."""

    team: Team
    members: list[User]
    in_progress: list[Claim]
    shipped: list[Claim]

    @property
    def load(self) -> int:
        return len(self.in_progress) + len(self.shipped)

    @property
    def capacity(self) -> int:
        return self.team.weekly_capacity

    @property
    def free(self) -> int:
        return free_slots(load=self.load, capacity=self.capacity)

    @property
    def full(self) -> bool:
        return self.free == 0


@dataclass(frozen=True)
class PlanRow:
    post: Post
    claim: Claim | None


@dataclass(frozen=True)
class Plan:
    product: Product
    week_start: date
    rows: list[PlanRow]
    teams: list[TeamWeek]

    @property
    def unclaimed(self) -> list[Post]:
        return [row.post for row in self.rows if row.claim is None]


def team_weeks(product: Product, *, now: datetime, team: Team | None = None) -> list[TeamWeek]:
    """Every team of the product (or just `team`) with this week's claims, in two queries
    plus one for the members."""
    teams = product.teams.select_related("product").prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("username"))
    )
    claims = Claim.objects.filter(team__product=product)
    if team is not None:
        teams, claims = teams.filter(pk=team.pk), claims.filter(team=team)
    claims = claims.filter(counted_claims(week_begins(now, product.time_zone)))
    by_team: dict[int, list[Claim]] = {}
    for claim in claims.select_related("post", "engineer").order_by("claimed_at", "pk"):
        by_team.setdefault(claim.team_id, []).append(claim)
    weeks = []
    for each in teams:
        mine = by_team.get(each.pk, [])
        for claim in mine:
            claim.team = each  # the same object, members already prefetched
        shipped = [c for c in mine if c.post.shipped_at is not None]
        shipped.sort(key=lambda c: (c.post.shipped_at, c.pk))
        weeks.append(
            TeamWeek(
                team=each,
                members=list(each.members.all()),
                in_progress=[c for c in mine if c.post.shipped_at is None],
                shipped=shipped,
            )
        )
    return weeks


def team_week(team: Team, *, now: datetime) -> TeamWeek:
    return team_weeks(team.product, now=now, team=team)[0]


def weekly_plan(product: Product, *, now: datetime, size: int = TOP_SIZE) -> Plan:
    """The planning board: the top posts by the product's planning sort among those still to
    claim and those in this week's plan, each with its claim (None = unclaimed), and every
    team's column. Ranking reads the stored, indexed scores; nothing scans all posts."""
    teams = team_weeks(product, now=now)
    claims = {c.post_id: c for week in teams for c in (*week.in_progress, *week.shipped)}
    posts = (
        board_posts(BoardFilter(product_id=product.pk, sort=product.planning_sort))
        .filter(Q(status__in=CLAIMABLE_STATUSES) | Q(pk__in=list(claims)))
        # The pinned weekly announcement is news, not work.
        .filter(pinned=False)
    )
    top = ranked_page(posts, explore=product.planning_sort == BEST, number=1, size=size).items
    rows = [PlanRow(post=post, claim=claims.get(post.pk)) for post in top]
    return Plan(
        product=product,
        week_start=week_start(now, product.time_zone),
        rows=rows,
        teams=teams,
    )


def shipped_history(team: Team, *, limit: int = HISTORY_SIZE) -> list[Claim]:
    """The team's shipped claims, latest first."""
    return list(
        team.claims.filter(post__shipped_at__isnull=False)
        .select_related("post", "engineer")
        .order_by("-post__shipped_at", "-pk")[:limit]
    )


def planning_teams_of(user: User | AnonymousUser, product: Product) -> list[Team]:
    """The teams `user` may claim for on this product: their own, or every team for admins."""
    if not isinstance(user, User):
        return []
    teams = product.teams.select_related("product")
    if not is_admin(user):
        teams = teams.filter(members=user)
    return list(teams)
