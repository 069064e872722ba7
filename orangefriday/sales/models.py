"""Direct sales to fans: a launch sells editions in timed sale rounds of fixed stock to the
fans who reserved; an F-code skips the reservation; an order holds its unit for 15 minutes
until it is paid."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import Product


class Launch(models.Model):
    """A product put on sale: its editions, a reservation window, one or more rounds."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="launches")
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="Markdown")
    reservations_open_at = models.DateTimeField()
    reservations_close_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reservations_open_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reservations_close_at__gt=models.F("reservations_open_at")),
                name="launch_window_ends_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sales:launch", args=[self.slug])


class Edition(models.Model):
    """One thing a launch sells (a colour, a memory size), at one price."""

    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(max_length=80)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    description = models.TextField(blank=True, help_text="Markdown")
    # A path under the static files or an address on this site; no images from elsewhere
    # (the CSP allows only ours).
    image = models.CharField(max_length=200, blank=True)
    # Units each sale round offers, unless the round says otherwise (Allocation).
    stock_per_round = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=Decimal(0)), name="edition_price_ok")
        ]

    def __str__(self) -> str:
        return f"{self.launch.name} {self.name}"


class SaleRound(models.Model):
    """A timed sale: from `starts_at`, reserved fans may each take one unit."""

    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    # When the reserved fans were told that the round is coming (once).
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["launch", "number"], name="round_number_per_launch")
        ]
        indexes = [models.Index(fields=["announced_at", "starts_at"], name="round_to_announce")]

    def __str__(self) -> str:
        return f"{self.launch.name}, round {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("sales:round", args=[self.pk])


class Allocation(models.Model):
    """One edition's stock in one round: the units still free, and the reserved share that
    only F-codes take. Buying is `UPDATE … SET left = left - 1 WHERE left > 0` on this row."""

    sale_round = models.ForeignKey(SaleRound, on_delete=models.CASCADE, related_name="allocations")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="allocations")
    units = models.PositiveIntegerField()
    units_left = models.IntegerField()
    fcode_units = models.PositiveIntegerField(default=0)
    fcode_units_left = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sale_round", "edition"], name="allocation_once"),
            # The database itself refuses to sell a unit that is not there.
            models.CheckConstraint(
                condition=Q(units_left__gte=0) & Q(fcode_units_left__gte=0),
                name="allocation_never_below_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} in round {self.sale_round.number}"


class Reservation(models.Model):
    """A fan's right to buy in a launch's rounds, taken during its reservation window."""

    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="reservations")
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reservations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["launch", "fan"], name="reservation_once_per_fan")
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id} reserved launch {self.launch_id}"


class Address(models.Model):
    """Where a fan's orders are delivered. `key` is the address folded (case, spaces, marks)
    so that two spellings of one door count as one address."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    name = models.CharField(max_length=100)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postcode = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="CN")
    phone = models.CharField(max_length=30, blank=True)
    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        parts = [self.name, self.line1, self.line2, f"{self.postcode} {self.city}", self.country]
        return ", ".join(p for p in parts if p)


class OrderState(models.TextChoices):
    HELD = "held", _("held, waiting for payment")
    PAID = "paid", _("paid")
    SHIPPED = "shipped", _("shipped")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("cancelled")
    REFUNDED = "refunded", _("refunded")


# The states in which an order holds its unit: one such order per fan and per address in a
# round.
LIVE_STATES = [OrderState.HELD, OrderState.PAID, OrderState.SHIPPED]


class Order(models.Model):
    """One unit taken by one fan in one round."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders"
    )
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="orders")
    # Copied from the allocation so that the unique constraints can name them.
    sale_round = models.ForeignKey(SaleRound, on_delete=models.CASCADE, related_name="orders")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="orders")
    address_key = models.CharField(max_length=64)
    fcode = models.ForeignKey(
        "FCode", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    state = models.CharField(max_length=10, choices=OrderState.choices, default=OrderState.HELD)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now)
    held_until = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale_round", "fan"],
                condition=Q(state__in=LIVE_STATES),
                name="order_once_per_fan_and_round",
            ),
            models.UniqueConstraint(
                fields=["sale_round", "address_key"],
                condition=Q(state__in=LIVE_STATES),
                name="order_once_per_address_and_round",
            ),
        ]
        indexes = [
            models.Index(
                fields=["held_until"], condition=Q(state="held"), name="order_holds_by_expiry"
            )
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("sales:order", args=[self.pk])


class OrderChange(models.Model):
    """One step of an order's history (held → paid → shipped, or expired, …)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.from_state or '-'} -> {self.to_state}"

    @property
    def to_state_label(self) -> str:
        """The state reached, as a fan reads it."""
        return str(OrderState(self.to_state).label)


class Payment(models.Model):
    """A payment the provider told us about. No card data: only its reference and amount."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A confirmation sent twice is one payment.
            models.UniqueConstraint(fields=["provider", "reference"], name="payment_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.reference}"


class FCodeReason(models.TextChoices):
    ENGINEER = "engineer", _("issued by an engineer")
    AWARD = "award", _("a Popcorn Award")
    IDEA = "idea", _("an idea that shipped")
    REFERRAL = "referral", _("a friend who bought")
    PRIORITY = "priority", _("a priority pass")
    TESTER = "tester", _("being a tester in good standing")
    POINTS = "points", _("your points on the product")


class FCode(models.Model):
    """A single-use code that lets its holder buy one unit of a launch (or one edition)
    without a reservation, from the round's reserved share. Giftable once."""

    code = models.CharField(max_length=32, unique=True)
    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="fcodes")
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, null=True, blank=True, related_name="fcodes"
    )
    # None: a code handed out outside the site; the first fan who redeems it holds it.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fcodes",
    )
    reason = models.CharField(max_length=10, choices=FCodeReason.choices)
    # What earned it (an award, a post, a referral, a round): one code per thing earned.
    earned_for = models.CharField(max_length=60, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    gifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gifted_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["launch", "reason", "earned_for"],
                condition=~Q(earned_for=""),
                name="fcode_once_per_thing_earned",
            )
        ]

    def __str__(self) -> str:
        return f"F-code {self.code[:4]}… for {self.launch}"


class Referral(models.Model):
    """A fan who signed up through another fan's referral link. Credited once, when the
    referred fan's first order is paid; a cancelled or refunded order credits nothing."""

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals"
    )
    referred = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referred_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    credited_order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(referrer=models.F("referred")), name="referral_not_oneself"
            )
        ]

    def __str__(self) -> str:
        return f"fan {self.referred_id} referred by {self.referrer_id}"
