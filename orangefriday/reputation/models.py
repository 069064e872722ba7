"""Fans' standing: the points ledger and its totals, medals, the honour roll, and the
beta-tester programme (its quiz, testers, weekly duties and deductions)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import Product
from orangefriday.releases.models import Build

from .rules import DEDUCTION_REASONS, GIVEN_BACK, REASONS


class Entry(models.Model):
    """One row of the ledger: points a fan earned or lost, why, and what it came from.

    `key` names the thing that earned the points (e.g. "shipped:post:12"), unique, so that
    the same thing never counts twice, whatever event or replay brings it again."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_entries"
    )
    # None for the whole site (a fan silenced or suspended everywhere).
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    points = models.IntegerField()
    reason = models.CharField(
        max_length=32, choices=list(REASONS.items()) + list(GIVEN_BACK.items())
    )
    key = models.CharField(max_length=120, unique=True)
    source_type = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    # The event that wrote the row (core.Event, named by id: the log keeps no foreign keys).
    event_id = models.BigIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["fan", "-created_at"], name="entry_fan_recent"),
            models.Index(fields=["fan", "reason"], name="entry_fan_reason"),
            models.Index(fields=["product", "created_at"], name="entry_product_week"),
        ]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.fan_id} {self.points:+} {self.reason}"


class Total(models.Model):
    """A fan's points, kept from the ledger: one row per product, and one for the whole site
    (product None) that decides the fan's level. `rebuild_reputation` recomputes them."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_totals"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fan", "product"],
                condition=Q(product__isnull=False),
                name="total_once_per_product",
            ),
            models.UniqueConstraint(
                fields=["fan"], condition=Q(product__isnull=True), name="total_once_per_site"
            ),
        ]
        indexes = [models.Index(fields=["product", "-points"], name="total_leaderboard")]

    def __str__(self) -> str:
        return f"{self.fan_id} on {self.product_id or 'site'}: {self.points}"


class Medal(models.Model):
    """A milestone a fan reached (rules.MEDALS), at the time of the ledger row that did it."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medals"
    )
    code = models.CharField(max_length=32)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awarded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["fan", "code"], name="medal_once")]

    def __str__(self) -> str:
        return f"{self.fan_id}: {self.code}"


class FoundingFan(models.Model):
    """A product's founding fan: one of its first FOUNDING_FANS to take part, or one its
    engineers chose (like MIUI's 100 dream sponsors)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="founding_fans")
    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["since", "pk"]
        constraints = [models.UniqueConstraint(fields=["product", "fan"], name="founding_fan_once")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.fan_id}"


class FirstTester(models.Model):
    """One of a build's first FIRST_TESTERS fans to file a four-grid report."""

    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="first_testers")
    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["build", "fan"], name="first_tester_once"),
            models.UniqueConstraint(fields=["build", "position"], name="first_tester_place"),
        ]

    def __str__(self) -> str:
        return f"{self.build_id} #{self.position}: {self.fan_id}"


class Programme(models.Model):
    """A product's beta-tester programme: its entry quiz's pass mark and its places."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="programme")
    places = models.PositiveIntegerField(default=100)
    pass_mark = models.PositiveSmallIntegerField(
        default=90, help_text=_("The share of right answers, in percent, that passes the quiz.")
    )
    is_open = models.BooleanField(default=True)
    intro = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.product} testers"


class Question(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    """One try at a programme's quiz (counted against the attempts a day)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="attempts")
    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()  # percent of right answers
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["programme", "fan", "created_at"], name="attempt_day")]

    def __str__(self) -> str:
        return f"{self.fan_id} {self.score}%"


class TesterStatus(models.TextChoices):
    ACTIVE = "active", _("Tester")
    REMOVED = "removed", _("Removed")
    LEFT = "left", _("Left")


class Tester(models.Model):
    """A fan's membership of a programme, from joining to leaving or removal. A fan has at
    most one active membership per programme; earlier ones stay as their history."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="testers")
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="testerships"
    )
    status = models.CharField(
        max_length=16, choices=TesterStatus.choices, default=TesterStatus.ACTIVE
    )
    joined_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why a removed tester was removed, in words the tester reads on "my standing".
    end_reason = models.CharField(max_length=300, blank=True)
    # The language the reason was worded in (the scheduler's, or the fan's own when they
    # left), so that the page can say so: it is not reworded when the fan switches.
    end_reason_language = models.CharField(max_length=16, blank=True)
    # The fan may apply again from this moment on.
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fan"],
                condition=Q(status="active"),
                name="tester_active_once",
            )
        ]
        indexes = [models.Index(fields=["programme", "status"], name="tester_active")]

    def __str__(self) -> str:
        return f"{self.fan_id} in {self.programme_id}: {self.status}"


class DutyWeek(models.Model):
    """A tester's week, checked once it ended: what was filed and whether it met the duty."""

    tester = models.ForeignKey(Tester, on_delete=models.CASCADE, related_name="weeks")
    week_start = models.DateField()  # the Monday, product time
    bug_reports = models.PositiveIntegerField()
    suggestions = models.PositiveIntegerField()
    met = models.BooleanField()
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["tester", "week_start"], name="duty_week_once")
        ]

    def __str__(self) -> str:
        return f"{self.tester_id} {self.week_start}: {'met' if self.met else 'missed'}"


class Deduction(models.Model):
    """Points off a tester's standing, with the reason (settings.TESTER_DEDUCTIONS)."""

    tester = models.ForeignKey(Tester, on_delete=models.CASCADE, related_name="deductions")
    points = models.PositiveIntegerField()
    reason = models.CharField(max_length=32, choices=list(DEDUCTION_REASONS.items()))
    key = models.CharField(max_length=120)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["tester", "key"], name="deduction_once")]

    def __str__(self) -> str:
        return f"{self.tester_id} -{self.points} {self.reason}"
