"""`manage.py load_demo [--if-empty] [--seed N]`: fill an empty database with a demo community.

The words come from orangefriday.demo.content; this command decides who wrote what and
when, and who voted. Posts and comments go through the board's actions (Markdown, search
document, official badge); votes are inserted in bulk and counted with recount_votes. Then
the weekly loop of the past weeks is replayed through the real actions (see history.py):
teams claim and ship the top posts, every Friday's developer build is cut and published with
its pinned announcement, and followers are told. The same seed gives the same community,
placed relative to the current time.
"""

import random
import re
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orangefriday.accounts.models import Role, TrustLevel, User
from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.board.models import (
    Category,
    Comment,
    Kind,
    Post,
    PostReader,
    Product,
    Status,
    StatusChange,
)
from orangefriday.core.calendar import cut_instant, local_date, next_cut, version_for, week_start
from orangefriday.core.events import dispatch
from orangefriday.demo import content
from orangefriday.demo.bugs import load_bugs
from orangefriday.demo.content import Draft, Said
from orangefriday.demo.feedback import load_answers, load_feedback
from orangefriday.demo.history import (
    HISTORY_BUILDS,
    PLANNING_TIME,
    Candidate,
    LoopPlanner,
    Replay,
    TeamPlan,
    Work,
    local,
    national_day_fridays,
    newest_pk,
    past_fridays,
)
from orangefriday.demo.images import load_images
from orangefriday.demo.moderation import USERNAMES as MODERATION_USERNAMES
from orangefriday.demo.moderation import load_moderation
from orangefriday.demo.profiles import load_profiles
from orangefriday.demo.reputation import load_reputation
from orangefriday.demo.sales import load_sales
from orangefriday.insights.refresh import refresh_week_figures
from orangefriday.notifications.models import (
    Digest,
    Notification,
    NotificationKind,
    OutboxEmail,
    Subscription,
)
from orangefriday.notifications.preferences import Choice, set_choices
from orangefriday.notifications.tasks import deliver_outbox
from orangefriday.planning.actions import claim_post, create_team, release_claim, ship_claimed_post
from orangefriday.planning.models import DEFAULT_WEEKLY_CAPACITY, Claim, Team
from orangefriday.ranking.best import activity_weight
from orangefriday.releases.cuts import cut_developer_build
from orangefriday.releases.models import Build as ReleaseBuild
from orangefriday.releases.models import Holiday
from orangefriday.releases.publishing import SYSTEM_FAN_USERNAME, edit_notes, publish_build
from orangefriday.voting.actions import expire_trending_votes, recount_votes
from orangefriday.voting.models import Vote

DEFAULT_SEED = 2010  # the year MIUI's first hundred testers started
HISTORY_DAYS = 88
TIME_ZONE = str(Product._meta.get_field("time_zone").default)
_CJK = re.compile(r"[\u3400-\u9fff]")


def language_of(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


@dataclass(frozen=True)
class Build:
    version: str
    shipped_at: datetime


def developer_builds(now: datetime, days: int, holidays: Collection[date]) -> list[Build]:
    """The weekly builds of the last `days` days, oldest first: every Friday at 17:00
    product time but the holidays (MIUI skipped China's National Day week)."""
    day = local_date(now - timedelta(days=days), TIME_ZONE)
    friday = day + timedelta(days=(4 - day.weekday()) % 7)
    builds = []
    while cut_instant(friday, TIME_ZONE) <= now:
        if friday not in holidays:
            builds.append(Build(version_for(friday), cut_instant(friday, TIME_ZONE)))
        friday += timedelta(weeks=1)
    return builds


@dataclass
class Fan:
    user: User
    language: str  # "en", "zh" or "both"
    device: str
    activity: float

    def speaks(self, language: str) -> bool:
        return self.language in (language, "both")


@dataclass
class Remark:
    """A comment to be written: its author, words, time and (optionally) the earlier remark
    of the same post it replies to."""

    author: User
    text: str
    at: datetime
    reply_to: "Remark | None" = None
    comment: Comment | None = None


@dataclass
class Plan:
    draft: Draft
    product: Product
    author: User
    language: str
    created_at: datetime
    build: str = ""
    device: str = ""
    votes: int = 0
    status: str = Status.OPEN
    status_at: datetime | None = None
    status_build: str = ""
    remarks: list[Remark] = field(default_factory=list)
    post: Post | None = None
    report: bool = False
    # The engineer who changes the status and says so; `reply` picks their words (default:
    # the status).
    engineer: User | None = None
    reply: str = ""
    work: Work | None = None


class DemoLoader:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        this_year = local_date(now, TIME_ZONE).year
        self.holidays = national_day_fridays(range(this_year - 1, this_year + 2))
        self.builds = developer_builds(now, HISTORY_DAYS + 30, self.holidays)
        # The Fridays of the builds that exist (the older ones predate the products' teams).
        self.fridays = past_fridays(now, TIME_ZONE, self.holidays, HISTORY_BUILDS)
        coming = next_cut(now, TIME_ZONE, self.holidays)
        self.next_version = version_for(local_date(coming, TIME_ZONE))
        self.users: dict[str, User] = {}
        self.fans: list[Fan] = []
        self.fan_of: dict[int, Fan] = {}
        self.products: dict[str, Product] = {}
        self.categories: dict[tuple[str, str], Category] = {}
        self.engineers: dict[str, list[User]] = {}
        self.teams: dict[str, list[Team]] = {}
        self.claims: dict[int, Claim] = {}
        self.announcements: dict[tuple[str, date], Post] = {}
        self.reused: list[str] = []

    # People and products ---------------------------------------------------------------------

    def create_people(self) -> None:
        # Hashing is slow on purpose; one hash shared by every demo account keeps loading fast.
        password = make_password(content.PASSWORD)
        existing = {u.username: u for u in User.objects.filter(username__in=self._usernames())}
        self.reused = sorted(existing)
        new = []
        for username, first, last, role, bio in content.STAFF:
            if username not in existing:
                new.append(
                    User(
                        username=username,
                        first_name=first,
                        last_name=last,
                        email=f"{username}@orangefriday.example",
                        role=role,
                        bio=bio,
                        is_staff=role == Role.ADMIN,
                        is_superuser=role == Role.ADMIN,
                        password=password,
                        date_joined=self.now - timedelta(days=self.rng.randint(400, 800)),
                        email_verified_at=self.now,
                        trust_level=TrustLevel.REGULAR,
                    )
                )
        for username, first, last, _language, bio in content.FANS:
            if username not in existing:
                new.append(
                    User(
                        username=username,
                        first_name=first,
                        last_name=last,
                        email=f"{username}@fans.example",
                        role=Role.FAN,
                        bio=bio,
                        password=password,
                        date_joined=self.now - timedelta(days=self.rng.randint(95, 900)),
                        email_verified_at=self.now,
                        # Months of reading and voting: members, whose votes count fully.
                        trust_level=TrustLevel.MEMBER,
                    )
                )
        if content.NEWCOMER not in existing:
            # Signed up a moment ago and has not opened the confirmation link: logging in
            # as them shows the verification banner, and then a new fan's limits.
            new.append(
                User(
                    username=content.NEWCOMER,
                    email=f"{content.NEWCOMER}@fans.example",
                    role=Role.FAN,
                    password=password,
                    date_joined=self.now,
                )
            )
        User.objects.bulk_create(new)
        # Re-read so that every user has its primary key whatever the database backend.
        self.users = {u.username: u for u in User.objects.filter(username__in=self._usernames())}
        ranks = list(range(len(content.FANS)))
        self.rng.shuffle(ranks)
        for rank, (username, _first, _last, language, _bio) in zip(
            ranks, content.FANS, strict=True
        ):
            fan = Fan(
                user=self.users[username],
                language=language,
                device=self.rng.choice(content.DEVICES),
                # A few fans write most posts, as on every forum.
                activity=1 / (rank + 1) ** 0.8,
            )
            self.fans.append(fan)
            self.fan_of[fan.user.pk] = fan

    def _usernames(self) -> list[str]:
        return demo_usernames()

    def create_products(self) -> None:
        for spec in content.PRODUCTS:
            product = Product.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                tagline=spec["tagline"],
                name_zh=spec["name_zh"],
                tagline_zh=spec["tagline_zh"],
                created_at=self.now - timedelta(days=400),
            )
            engineers = [self.users[name] for name in spec["engineers"]]
            product.engineers.set(engineers)
            self.products[product.slug] = product
            self.engineers[product.slug] = engineers
            for slug, name, name_zh in spec["categories"]:
                self.categories[product.slug, slug] = Category.objects.create(
                    product=product, slug=slug, name=name, name_zh=name_zh
                )

    # Choosing ---------------------------------------------------------------------------------

    def pick_fan(self, language: str, *, besides: Collection[int] = ()) -> Fan:
        candidates = [f for f in self.fans if f.speaks(language) and f.user.pk not in besides]
        return self.rng.choices(candidates, weights=[f.activity + 0.15 for f in candidates])[0]

    def build_at(self, moment: datetime) -> Build:
        shipped = [b for b in self.builds if b.shipped_at <= moment]
        return shipped[-1] if shipped else self.builds[0]

    def random_age(self) -> timedelta:
        # The community grows: more posts in recent weeks than two months ago.
        return timedelta(days=HISTORY_DAYS * self.rng.random() ** 1.5 + 0.02)

    def later(
        self,
        start: datetime,
        *,
        skew: float = 2.0,
        at_least: float = 300,
        until: datetime | None = None,
    ) -> datetime:
        """A moment between `start` and `until` (default now), more likely soon after `start`."""
        end = min(until or self.now, self.now)
        span = (end - start).total_seconds()
        if span <= at_least:
            return start + (end - start) / 2
        return start + timedelta(seconds=at_least + (span - at_least) * self.rng.random() ** skew)

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(seconds=1))

    def sample_votes(self, kind: str) -> int:
        r = self.rng.random()
        if r < 0.05:
            votes = self.rng.randint(14, 30)
        elif r < 0.2:
            votes = self.rng.randint(5, 13)
        elif r < 0.55:
            votes = self.rng.randint(1, 4)
        else:
            votes = self.rng.randint(0, 2)
        return votes if kind != Kind.DISCUSSION else int(votes * 0.6)

    def sample_status(self, kind: str, votes: int) -> str:
        r = self.rng.random()
        if kind == Kind.IDEA:
            if votes >= 14 and r < 0.5:
                return self.rng.choice(["under_review", "planned", "in_progress", "shipped"])
            if 5 <= votes < 14 and r < 0.18:
                return self.rng.choice(["under_review", "planned", "declined", "shipped"])
            if votes < 5 and r < 0.04:
                return self.rng.choice(["declined", "under_review"])
        elif kind == Kind.BUG:
            if votes >= 5 and r < 0.45:
                return self.rng.choice(["under_review", "in_progress", "shipped", "shipped"])
            if votes < 5 and r < 0.12:
                return self.rng.choice(["under_review", "declined", "shipped"])
        return Status.OPEN

    # Planning ---------------------------------------------------------------------------------

    def plan_posts(self) -> list[Plan]:
        plans = []
        for slug, drafts in content.POSTS.items():
            for draft in drafts:
                plans.append(self.plan_draft(self.products[slug], draft))
            plans.extend(self.plan_reports(self.products[slug]))
        for plan in plans:
            self.plan_status(plan)
        for product in self.products.values():
            self.plan_weeks(product, plans)
        for plan in plans:
            self.plan_remarks(plan)
        plans.sort(key=lambda p: p.created_at)
        return plans

    def plan_draft(self, product: Product, draft: Draft) -> Plan:
        language = language_of(draft.title)
        author = self.users[draft.author] if draft.author else self.pick_fan(language).user
        if draft.age_days is not None:
            age = timedelta(days=draft.age_days, hours=self.rng.uniform(-5, 5))
        else:
            age = self.random_age()
        plan = Plan(
            draft=draft,
            product=product,
            author=author,
            language=language,
            created_at=self.now - age,
        )
        if draft.kind == Kind.BUG:
            build = self.build_at(plan.created_at)
            if self.rng.random() < 0.2:  # not everyone updates on Friday evening
                build = self.build_at(build.shipped_at - timedelta(days=1))
            plan.build = build.version
            fan = self.fan_of.get(author.pk)
            plan.device = (
                fan.device if fan and self.rng.random() < 0.8 else self.rng.choice(content.DEVICES)
            )
        plan.votes = draft.votes if draft.votes is not None else self.sample_votes(draft.kind)
        return plan

    def plan_reports(self, product: Product) -> list[Plan]:
        """Four-grid reports on each build: mood, most loved, least effective, most wanted."""
        plans = []
        # Reports are filed on the builds the product has (with notes to talk about).
        first = cut_instant(self.fridays[0], TIME_ZONE)
        recent = [b for b in self.builds if b.shipped_at >= first]
        for index, build in enumerate(recent):
            reports = 3 if index >= len(recent) - 4 else 2
            authors: set[int] = set()
            for _ in range(reports):
                language = "zh" if self.rng.random() < 0.3 else "en"
                fan = self.pick_fan(language, besides=authors)
                authors.add(fan.user.pk)
                # Reports are filed from Friday evening to Tuesday night.
                until = min(build.shipped_at + timedelta(days=4, hours=7), self.now)
                start = build.shipped_at + timedelta(hours=2)
                if start >= until:
                    continue
                created_at = start + (until - start) * self.rng.random()
                draft = self.report_draft(product, build, language)
                plans.append(
                    Plan(
                        draft=draft,
                        product=product,
                        author=fan.user,
                        language=language,
                        created_at=created_at,
                        votes=self.rng.choice([0, 0, 1, 1, 2, 3, 5]),
                        report=True,
                    )
                )
        return plans

    def report_draft(self, product: Product, build: Build, language: str) -> Draft:
        pieces = content.REPORT_PIECES[product.slug][language]
        mood = self.rng.choice(content.MOODS[language])
        title = self.rng.choice(content.REPORT_TITLES[language]).format(
            build=build.version, mood=mood.split(" ", 1)[1]
        )
        stability = self.rng.choice([6, 7, 7, 8, 8, 8, 9, 9, 10])
        loved, least, wanted = (self.rng.choice(pieces[k]) for k in ("loved", "least", "wanted"))
        values = [mood, loved, least, wanted, f"{stability}/10"]
        colon = "" if language == "zh" else ":"
        lines = [
            f"**{label}{colon}** {value}"
            for label, value in zip(content.REPORT_LABELS[language], values, strict=True)
        ]
        extra = self.rng.choice(content.REPORT_EXTRAS[language])
        body = "\n".join(lines) + (f"\n\n{extra}" if extra else "")
        return Draft(Kind.DISCUSSION, None, title, body, tags=("four-grid",))

    def plan_status(self, plan: Plan) -> None:
        """Statuses engineers set by hand. In progress and shipped come from the weekly loop
        (plan_weeks): a sampled one leaves the post open for the teams to claim."""
        draft = plan.draft
        status = draft.status or self.sample_status(draft.kind, plan.votes)
        if status in (Status.OPEN, Status.IN_PROGRESS, Status.SHIPPED):
            return
        if (self.now - plan.created_at) < timedelta(hours=6):
            return  # too new for anyone to have looked at it
        plan.status_build = self.next_version
        span = self.now - plan.created_at
        plan.status_at = plan.created_at + span * self.rng.uniform(0.25, 0.85)
        plan.status = status
        plan.engineer = self.thread_engineer(plan) or self.rng.choice(
            self.engineers[plan.product.slug]
        )

    def thread_engineer(self, plan: Plan) -> User | None:
        """The engineer who answers in the post's hand-written thread, if any."""
        engineers = {e.username: e for e in self.engineers[plan.product.slug]}
        for said in plan.draft.thread:
            if said.author in engineers:
                return engineers[said.author]
        return None

    def plan_weeks(self, product: Product, plans: list[Plan]) -> None:
        """Who claims which post in which week, and which build ships it (history.py)."""
        candidates = []
        for key, plan in enumerate(plans):
            draft = plan.draft
            if plan.product is not product or plan.report or plan.status != Status.OPEN:
                continue
            if draft.kind == Kind.DISCUSSION:
                continue
            ship_in = None
            if draft.status == Status.SHIPPED:
                ago = min(draft.shipped_builds_ago or 0, len(self.fridays) - 1)
                ship_in = self.fridays[-1 - ago]
            engineer = self.thread_engineer(plan)
            candidates.append(
                Candidate(
                    key=key,
                    category=draft.category,
                    votes=plan.votes,
                    created_at=plan.created_at,
                    ship_in=ship_in,
                    keep=draft.status == Status.IN_PROGRESS,
                    engineer=engineer.username if engineer else None,
                )
            )
        planner = LoopPlanner(
            rng=self.rng,
            now=self.now,
            time_zone=TIME_ZONE,
            holidays=self.holidays,
            fridays=self.fridays,
            teams=[
                TeamPlan(
                    members=spec["members"],
                    categories=spec["categories"],
                    capacity=spec.get("capacity", DEFAULT_WEEKLY_CAPACITY),
                )
                for spec in content.TEAMS[product.slug]
            ],
            candidates=candidates,
        )
        for work in planner.plan():
            plan = plans[work.key]
            plan.work = work
            plan.engineer = self.users[work.engineer]
            # Claimed posts are the ones fans pushed up: the notes credit their voters.
            plan.votes = max(plan.votes, self.rng.randint(4, 12))
            minutes = timedelta(minutes=self.rng.randint(5, 90))
            if work.released_at is not None:
                plan.status, plan.reply = Status.PLANNED, "released"
                plan.status_at = work.released_at + minutes
            elif work.build is not None:
                plan.status = Status.SHIPPED
                plan.status_build = version_for(work.build)
                cut = cut_instant(work.build, TIME_ZONE)
                plan.status_at = cut + timedelta(minutes=self.rng.randint(20, 300))
            elif work.shipped_at is not None:
                plan.status, plan.reply = Status.SHIPPED, "coming"
                plan.status_build = self.next_version
                plan.status_at = work.shipped_at + minutes
            else:
                plan.status = Status.IN_PROGRESS
                plan.status_build = self.next_version
                plan.status_at = work.claimed_at + minutes
            plan.status_at = self.before_now(plan.status_at)

    def plan_remarks(self, plan: Plan) -> None:
        draft = plan.draft
        language = plan.language
        remarks: list[Remark] = []
        if draft.thread:
            remarks = self.thread_remarks(plan, draft.thread)
        else:
            count = min(9, self.rng.randint(0, 3) + plan.votes // 4)
            if plan.report:
                texts = content.REPORT_REPLIES[language]
            else:
                texts = content.FAN_REPLIES[language, draft.kind]
            besides = {plan.author.pk}
            for text in self.rng.sample(texts, min(count, len(texts))):
                fan = self.pick_fan(language, besides=besides)
                besides.add(fan.user.pk)
                at = self.later(plan.created_at, skew=1.8)
                remarks.append(Remark(fan.user, self.fill(text, fan, at), at))
            remarks.sort(key=lambda r: r.at)
            for index, remark in enumerate(remarks):
                if index and self.rng.random() < 0.15:
                    remark.reply_to = remarks[self.rng.randrange(index)]
            if remarks and self.rng.random() < 0.3:
                answered = self.rng.choice(remarks)
                text = self.rng.choice(content.AUTHOR_REPLIES[language])
                at = self.later(answered.at, skew=3)
                remarks.append(Remark(plan.author, text, at, reply_to=answered))
        engineer_text = self.engineer_text(plan)
        engineers = self.engineers[plan.product.slug]
        # A hand-written thread already carries the engineers' answer, unless it shipped since.
        names = {e.username for e in engineers}
        if plan.status != Status.SHIPPED and any(s.author in names for s in draft.thread):
            engineer_text = ""
        if engineer_text and plan.status_at is not None:
            engineer = plan.engineer or self.rng.choice(self.engineers[plan.product.slug])
            remarks.append(Remark(engineer, engineer_text, plan.status_at))
        elif plan.status == Status.OPEN and draft.kind != Kind.DISCUSSION and not draft.thread:
            chance = 0.2 if draft.kind == Kind.BUG else 0.06
            if self.rng.random() < chance:
                engineer = self.rng.choice(self.engineers[plan.product.slug])
                if draft.kind == Kind.BUG:
                    text = self.rng.choice(content.ENGINEER_BUG_REPLIES[language, "open"])
                else:
                    text = self.rng.choice(content.ENGINEER_IDEA_NOTES[language])
                at = self.later(plan.created_at, skew=2.5, at_least=1800)
                remarks.append(Remark(engineer, text, at))
        if not draft.thread and self.rng.random() < 0.03:
            text = self.rng.choice(content.MODERATOR_REPLIES[language])
            remarks.append(Remark(self.users["mo"], text, self.later(plan.created_at)))
        remarks.sort(key=lambda r: r.at)
        plan.remarks = remarks

    def thread_remarks(self, plan: Plan, thread: tuple[Said, ...]) -> list[Remark]:
        """A hand-written thread, spread over the first weeks after the post."""
        remarks: list[Remark] = []
        at = plan.created_at
        room = (self.now - plan.created_at) * 0.6 / (len(thread) + 1)
        for said in thread:
            at = at + room * self.rng.uniform(0.3, 1.0)
            parent = remarks[said.reply_to] if said.reply_to is not None else None
            remarks.append(Remark(self.users[said.author], said.text, at, reply_to=parent))
        return remarks

    def engineer_text(self, plan: Plan) -> str:
        if plan.status == Status.OPEN:
            return ""
        replies = (
            content.ENGINEER_BUG_REPLIES
            if plan.draft.kind == Kind.BUG
            else (content.ENGINEER_REPLIES)
        )
        options = replies.get((plan.language, plan.reply or plan.status))
        if not options:
            return ""
        return self.rng.choice(options).replace("{build}", plan.status_build)

    def fill(self, text: str, fan: Fan, at: datetime) -> str:
        return text.replace("{device}", fan.device).replace("{build}", self.build_at(at).version)

    # Writing ----------------------------------------------------------------------------------

    def write_posts(self, plans: list[Plan]) -> None:
        for plan in plans:
            draft = plan.draft
            category = (
                self.categories[plan.product.slug, draft.category] if draft.category else None
            )
            body = draft.body.replace(
                "{build}", plan.build or self.build_at(plan.created_at).version
            )
            fan = self.fan_of.get(plan.author.pk)
            body = body.replace("{device}", plan.device or (fan.device if fan else "my phone"))
            plan.post = create_post(
                author=plan.author,
                product=plan.product,
                kind=draft.kind,
                title=draft.title,
                body=body,
                category=category,
                tags=draft.tags,
                build_version=plan.build,
                device=plan.device,
                limited=False,
            )

    def write_comments(self, plans: list[Plan]) -> list[Comment]:
        written = []
        for plan in plans:
            assert plan.post is not None
            for remark in plan.remarks:
                parent = remark.reply_to.comment if remark.reply_to else None
                remark.comment = add_comment(
                    author=remark.author,
                    post=plan.post,
                    body=remark.text,
                    parent=parent,
                    limited=False,
                )
                remark.comment.created_at = remark.at
                written.append(remark.comment)
        return written

    def backdate(self, plans: list[Plan], comments: list[Comment]) -> None:
        posts = []
        for plan in plans:
            assert plan.post is not None
            plan.post.created_at = plan.created_at
            plan.post.updated_at = plan.status_at or plan.created_at
            posts.append(plan.post)
        Post.objects.bulk_update(posts, ["created_at", "updated_at"], batch_size=500)
        Comment.objects.bulk_update(comments, ["created_at"], batch_size=500)

    def write_votes(self, plans: list[Plan]) -> int:
        votes = []
        for plan in plans:
            assert plan.post is not None
            voters = [f.user for f in self.fans if f.user.pk != plan.author.pk]
            # A shipped post's votes were all in when it shipped, so the release notes
            # credit as many voters as the post shows.
            until = None
            if plan.work is not None and plan.work.shipped_at is not None:
                until = plan.work.shipped_at - timedelta(minutes=10)
            for voter in self.rng.sample(voters, min(plan.votes, len(voters))):
                # Most votes come in the first days after a post; a few trickle in later.
                at = self.later(plan.created_at, skew=2.2, at_least=120, until=until)
                votes.append(Vote(post=plan.post, fan=voter, created_at=at))
        Vote.objects.bulk_create(votes, batch_size=1000)
        self.write_readers(plans, votes)
        recount_votes(post_ids=[plan.post.pk for plan in plans if plan.post is not None])
        # Start the trending window at today's cutoff, so "trending" is right from the start.
        expire_trending_votes(now=timezone.now())
        self.write_subscriptions(plans, votes)
        return len(votes)

    def write_readers(self, plans: list[Plan], votes: list[Vote]) -> None:
        """Fans who opened a post without voting (recount_votes makes the voters readers):
        a few times as many as its voters, so that the best sort has rates to tell apart;
        the newcomer, a new account, read a handful of posts and weighs 0.3."""
        # Its own generator, seeded from the loader's state without drawing from it: the rest
        # of the community stays what the seed made it before readers were written.
        rng = random.Random(self.rng.getstate()[1][0])
        voted = {(vote.post.pk, vote.fan.pk) for vote in votes}
        readers = []
        newcomer = self.users[content.NEWCOMER]
        for plan in plans:
            assert plan.post is not None
            others = [f.user for f in self.fans if (plan.post.pk, f.user.pk) not in voted]
            extra = min(len(others), rng.randint(plan.votes // 2 + 1, 3 * plan.votes + 4))
            for reader in rng.sample(others, extra):
                at = plan.created_at + (self.now - plan.created_at) * rng.random() ** 2
                readers.append(PostReader(post=plan.post, fan=reader, first_read_at=at))
        for plan in rng.sample(plans, 5):
            assert plan.post is not None
            readers.append(
                PostReader(
                    post=plan.post,
                    fan=newcomer,
                    trust_level=TrustLevel.NEW,
                    weight=activity_weight(trust_level=TrustLevel.NEW, in_burst=False),
                )
            )
        PostReader.objects.bulk_create(readers, batch_size=1000, ignore_conflicts=True)

    def write_subscriptions(self, plans: list[Plan], votes: list[Vote]) -> None:
        """Fans follow what they posted, commented on or voted for, from that moment on."""
        since: dict[tuple[int, int], datetime] = {}

        def follows(fan: User, post: Post, at: datetime) -> None:
            key = (fan.pk, post.pk)
            since[key] = min(since.get(key, at), at)

        for plan in plans:
            assert plan.post is not None
            follows(plan.author, plan.post, plan.created_at)
            for remark in plan.remarks:
                follows(remark.author, plan.post, remark.at)
        for vote in votes:
            follows(vote.fan, vote.post, vote.created_at)
        existing = list(
            Subscription.objects.filter(post__product__in=self.products.values()).only(
                "pk", "fan_id", "post_id", "created_at"
            )
        )
        for subscription in existing:
            subscription.created_at = since.get(
                (subscription.fan_id, subscription.post_id), subscription.created_at
            )
        Subscription.objects.bulk_update(existing, ["created_at"], batch_size=500)
        followed = {(s.fan_id, s.post_id) for s in existing}
        Subscription.objects.bulk_create(
            [
                Subscription(fan_id=vote.fan.pk, post_id=vote.post.pk, created_at=vote.created_at)
                for vote in votes
                if (vote.fan.pk, vote.post.pk) not in followed
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )

    # The weekly loop -----------------------------------------------------------------------------

    def create_teams(self) -> None:
        first_planning = local(self.fridays[0] - timedelta(days=4), PLANNING_TIME, TIME_ZONE)
        holidays = [
            Holiday(product=product, date=day, name="National Day")
            for product in self.products.values()
            for day in self.holidays
        ]
        Holiday.objects.bulk_create(holidays)
        for slug, specs in content.TEAMS.items():
            product = self.products[slug]
            self.teams[slug] = []
            for spec in specs:
                members = [self.users[name] for name in spec["members"]]
                team = create_team(
                    by=members[0],
                    product=product,
                    name=spec["name"],
                    members=members,
                    weekly_capacity=spec.get("capacity", DEFAULT_WEEKLY_CAPACITY),
                )
                team.created_at = first_planning - timedelta(days=self.rng.randint(7, 40))
                team.save(update_fields=["created_at"])
                self.teams[slug].append(team)

    def replay_weeks(self, plans: list[Plan]) -> None:
        """Run the plan through the actions, oldest first (see history.Replay)."""
        replay = Replay()
        for plan in plans:
            if plan.work is not None:
                self.add_work(replay, plan, plan.work)
            elif plan.status != Status.OPEN:
                assert plan.status_at is not None
                replay.add(plan.status_at, partial(self.set_status, plan))
        for slug, product in self.products.items():
            for friday in self.fridays:
                cut = cut_instant(friday, TIME_ZONE)
                replay.add(cut, partial(self.release, product, friday))
                self.add_announcement_replies(replay, slug, friday, cut)
        replay.run()

    def add_work(self, replay: Replay, plan: Plan, work: Work) -> None:
        replay.add(work.claimed_at, partial(self.claim, plan, work))
        if work.released_at is not None:
            replay.add(work.released_at, partial(self.release_claim, plan, work))
        if work.shipped_at is not None:
            replay.add(work.shipped_at, partial(self.ship, plan, work))

    def claim(self, plan: Plan, work: Work, at: datetime) -> None:
        assert plan.post is not None
        team = self.teams[plan.product.slug][work.team]
        engineer = self.users[work.engineer]
        claim = claim_post(by=engineer, team=team, post=plan.post, engineer=engineer)
        Claim.objects.filter(pk=claim.pk).update(claimed_at=at, week_start=work.week_start)
        self.claims[plan.post.pk] = claim
        # The action names the week it was claimed in by the wall clock; say the right one.
        wrong = week_start(timezone.now(), TIME_ZONE)
        right = work.week_start
        if wrong != right:
            change = StatusChange.objects.filter(post=plan.post).latest("pk")
            before, after = f"{wrong:%B} {wrong.day}", f"{right:%B} {right.day}"
            note = change.note.replace(before, after)
            StatusChange.objects.filter(pk=change.pk).update(
                note=note, note_html=change.note_html.replace(before, after)
            )
            OutboxEmail.objects.filter(key__startswith=f"status:{change.pk}:").update(
                body=Replace("body", Value(before), Value(after))
            )
        Post.objects.filter(pk=plan.post.pk).update(updated_at=at)

    def release_claim(self, plan: Plan, work: Work, at: datetime) -> None:
        assert plan.post is not None
        release_claim(by=self.users[work.engineer], claim=self.claims.pop(plan.post.pk))
        Post.objects.filter(pk=plan.post.pk).update(updated_at=at)

    def ship(self, plan: Plan, work: Work, at: datetime) -> None:
        assert plan.post is not None
        ship_claimed_post(by=self.users[work.engineer], post=plan.post)
        Post.objects.filter(pk=plan.post.pk).update(shipped_at=at, updated_at=at)

    def set_status(self, plan: Plan, at: datetime) -> None:
        assert plan.post is not None and plan.engineer is not None
        change_status(by=plan.engineer, post=plan.post, status=plan.status)
        Post.objects.filter(pk=plan.post.pk).update(updated_at=at)

    def release(self, product: Product, friday: date, at: datetime) -> None:
        """Friday 17:00: the scheduler cuts the developer build and publishes it at once."""
        cut = cut_developer_build(product=product, at=at)
        assert cut.build is not None and cut.created, cut.reason
        build = cut.build
        if self.rng.random() < 0.5:
            intro = self.rng.choice(content.BUILD_INTROS)
            edit_notes(by=self.rng.choice(self.engineers[product.slug]), build=build, intro=intro)
        build = publish_build(by=None, build=build)
        ReleaseBuild.objects.filter(pk=build.pk).update(published_at=at)
        assert build.announcement is not None
        Post.objects.filter(pk=build.announcement.pk).update(created_at=at, updated_at=at)
        self.announcements[product.slug, friday] = build.announcement

    def add_announcement_replies(
        self, replay: Replay, slug: str, friday: date, cut: datetime
    ) -> None:
        """A few fans answer each announcement after updating."""
        if self.now - cut < timedelta(minutes=20):
            return
        authors: set[int] = set()
        for _ in range(self.rng.randint(1, 4)):
            language = "zh" if self.rng.random() < 0.3 else "en"
            fan = self.pick_fan(language, besides=authors)
            authors.add(fan.user.pk)
            text = self.rng.choice(content.ANNOUNCEMENT_REPLIES[language])
            at = self.later(
                cut + timedelta(minutes=5), skew=3, at_least=60, until=cut + timedelta(days=3)
            )

            def reply(at: datetime, fan: Fan = fan, text: str = text) -> None:
                post = self.announcements[slug, friday]
                comment = add_comment(
                    author=fan.user, post=post, body=self.fill(text, fan, at), limited=False
                )
                Comment.objects.filter(pk=comment.pk).update(created_at=at)

            replay.add(at, reply)

    def add_conversation(self) -> None:
        """Today's conversation (content.CONVERSATION_TODAY), told like any other; and
        li_jizhe reads her digest daily and wants no email of replies (settings page)."""
        post = Post.objects.get(title=content.CONVERSATION_POST)
        said = content.CONVERSATION_TODAY
        fans = {u.username: u for u in User.objects.filter(username__in={s.author for s in said})}
        written: list[Comment] = []
        for remark in said:
            written.append(
                add_comment(
                    author=fans[remark.author],
                    post=post,
                    body=remark.text,
                    parent=None if remark.reply_to is None else written[remark.reply_to],
                    limited=False,
                )
            )
        set_choices(
            fan=fans["li_jizhe"],
            kinds={NotificationKind.REPLY: Choice(in_app=True, email=False)},
            digest=Digest.DAILY,
        )
        dispatch()

    def settle_history(self, *, notifications_after: int, emails_after: int) -> None:
        """After the replay: old news read, the announcements ranked by their real age, and
        the demo's emails sent (they are history)."""
        last_cut = cut_instant(self.fridays[-1], TIME_ZONE)
        told = Notification.objects.filter(pk__gt=notifications_after)
        told.filter(created_at__lt=last_cut - timedelta(hours=1)).update(
            read_at=F("created_at") + timedelta(hours=1)
        )
        told.filter(created_at__lt=last_cut, read_at__isnull=True).update(read_at=last_cut)
        OutboxEmail.objects.filter(pk__gt=emails_after, sent_at__isnull=True).update(
            sent_at=F("created_at")
        )
        recount_votes(post_ids=[post.pk for post in self.announcements.values()])
        User.objects.filter(username=SYSTEM_FAN_USERNAME).update(
            date_joined=self.now - timedelta(days=400)
        )

    def load(self) -> dict[str, Any]:
        queued_before = set(self.delivery_tasks().values_list("pk", flat=True))
        notifications_after, emails_after = newest_pk(Notification), newest_pk(OutboxEmail)
        self.create_people()
        # A copy of the generator: the rest of the demo stays what the seed made it.
        pictures = random.Random()
        pictures.setstate(self.rng.getstate())
        profiles = load_profiles(rng=pictures, keep=self.reused)
        self.create_products()
        plans = self.plan_posts()
        self.write_posts(plans)
        comments = self.write_comments(plans)
        self.backdate(plans, comments)
        votes = self.write_votes(plans)
        self.create_teams()
        self.replay_weeks(plans)
        self.add_conversation()
        self.settle_history(notifications_after=notifications_after, emails_after=emails_after)
        feedback = load_feedback(rng=self.rng, now=self.now, fans=[f.user for f in self.fans])
        load_bugs(rng=self.rng, fans=[f.user for f in self.fans])
        load_images()
        moderation = load_moderation(rng=self.rng, now=self.now, fans=[f.user for f in self.fans])
        answers = load_answers(rng=self.rng, now=self.now)
        reputation = load_reputation(rng=self.rng, now=self.now, fans=[f.user for f in self.fans])
        sales = load_sales(
            rng=self.rng,
            now=self.now,
            fans=[f.user for f in self.fans],
            engineer=self.users["maya"],
        )
        dispatch()  # the follow-ups of the last writes, so that nothing waits for the worker
        # Like the history's, the emails of those follow-ups (a reopened post's) count as sent.
        OutboxEmail.objects.filter(pk__gt=emails_after, sent_at__isnull=True).update(
            sent_at=F("created_at")
        )
        refresh_week_figures(now=self.now, weeks=settings.INSIGHTS_WEEKS)
        # The emails count as sent, so the runs queued to send them have nothing to do.
        self.delivery_tasks().exclude(pk__in=queued_before).delete()
        return {
            "products": len(self.products),
            "categories": len(self.categories),
            "fans": len(self.fans),
            "staff": len(content.STAFF),
            "posts": Post.objects.count(),
            "kinds": Counter(Post.objects.values_list("kind", flat=True)),
            "statuses": Counter(Post.objects.values_list("status", flat=True)),
            "comments": Comment.objects.count(),
            "official": Comment.objects.filter(official=True).count(),
            "votes": votes,
            "weeks": self.week_counts(),
            "feedback": feedback,
            "moderation": moderation,
            "answers": answers,
            "reputation": reputation,
            "sales": sales,
            "profiles": profiles,
            "reused": self.reused,
        }

    @staticmethod
    def delivery_tasks() -> QuerySet[DBTaskResult]:
        """The runs of the email sender that are waiting to start."""
        return DBTaskResult.objects.filter(task_path=deliver_outbox.module_path, status="READY")

    def week_counts(self) -> list[str]:
        lines = []
        for slug, product in self.products.items():
            versions = list(
                ReleaseBuild.objects.developer()
                .filter(product=product)
                .order_by("version_date")
                .values_list("version", flat=True)
            )
            claims = Claim.objects.filter(team__product=product)
            shipped = claims.filter(post__shipped_at__isnull=False)
            coming = shipped.filter(post__changes__isnull=True).count()
            lines.append(
                f"{product.name}: {len(versions)} weekly builds ({versions[0]} to "
                f"{versions[-1]}), {len(self.teams[slug])} teams, {shipped.count()} claims "
                f"shipped ({coming} waiting for Friday), "
                f"{claims.filter(post__shipped_at__isnull=True).count()} in progress"
            )
        return lines


def demo_usernames() -> list[str]:
    return (
        [row[0] for row in content.STAFF]
        + [row[0] for row in content.FANS]
        + [content.NEWCOMER, *MODERATION_USERNAMES]
    )


class Command(BaseCommand):
    help = "Fill an empty database with a demo community: products, fans, posts, votes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has a product.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same community (default {DEFAULT_SEED}).",
        )

    def handle(self, *args: Any, if_empty: bool, seed: int, **options: Any) -> None:
        started = time.monotonic()
        # Checked inside the transaction: on SQLite (IMMEDIATE mode) a second loader started
        # at the same moment waits, then finds the products.
        with transaction.atomic():
            if Product.objects.exists():
                if if_empty:
                    self.stdout.write("The database already has products; the demo was not loaded.")
                    return
                raise CommandError(
                    "The database already has products. load_demo fills an empty database "
                    "only (use --if-empty to skip quietly)."
                )
            others = User.objects.exclude(username__in=demo_usernames()).count()
            if others:
                # Every demo account's password is published in the README.
                raise CommandError(
                    f"The database already holds {others} fan(s) of its own; the demo's "
                    f"accounts, whose password {content.PASSWORD!r} anyone can read, are not "
                    "added to it. Load the demo into an empty database."
                )
            loader = DemoLoader(rng=random.Random(seed), now=timezone.now())
            counts = loader.load()
        self.report(counts, time.monotonic() - started)

    def report(self, counts: dict[str, Any], seconds: float) -> None:
        kinds, statuses = counts["kinds"], counts["statuses"]
        changed = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s != Status.OPEN)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo community in {seconds:.1f} s:")
            + f"\n  {counts['products']} products, {counts['categories']} categories"
            + f"\n  {counts['fans']} fans and {counts['staff']} staff"
            + f"\n  {counts['posts']} posts: {kinds[Kind.IDEA]} ideas, {kinds[Kind.BUG]} bug "
            f"reports, {kinds[Kind.DISCUSSION]} discussions ({statuses[Status.OPEN]} open, "
            f"{changed})"
            + f"\n  {counts['comments']} comments, {counts['official']} of them official"
            + f"\n  {counts['votes']} votes"
            + "".join(f"\n  {line}" for line in counts["weeks"])
            + f"\n  {counts['feedback'].reports} four-grid reports, {counts['feedback'].ratings} "
            f"stability ratings, {counts['feedback'].awards} Popcorn Awards"
            + "\n  fans by trust level: "
            + ", ".join(f"{n} at {lv}" for lv, n in counts["moderation"].levels.items())
            + f"; {counts['moderation'].queue} items in the moderation queue, "
            f"{counts['moderation'].log} entries in its log"
            + f'\n  {counts["answers"]} answers to "did this solve it?" on the latest builds'
            + f"\n  {counts['reputation'].entries} points ledger rows, "
            f"{counts['reputation'].founding_fans} founding fans, "
            f"{counts['reputation'].first_testers} first testers, "
            f"{counts['reputation'].testers} beta testers ({counts['reputation'].removed} removed)"
            + f"\n  launches: {counts['sales'].past.name} (sold, {counts['sales'].orders} orders)"
            f" and {counts['sales'].upcoming.name} (open for reservations)"
            + f"\n  {counts['profiles']['display names']} fans with a display name, "
            f"{counts['profiles']['avatars']} with an avatar"
        )
        if counts["reused"]:
            self.stdout.write(
                "Existing accounts kept as they were (password unchanged): "
                + ", ".join(counts["reused"])
            )
        engineers = [name for name, *_rest, role, _bio in content.STAFF if role == Role.ENGINEER]
        self.stdout.write(
            f"Log in with password {content.PASSWORD!r} as: {', '.join(engineers)} (engineers; "
            "maya is on every product's teams), mo (moderator), admin (admin), or any fan, "
            "e.g. hannah_reports or xiaoyu_tech."
        )
