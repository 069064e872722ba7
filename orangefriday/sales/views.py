"""Sales pages: launches and their countdown, reserving, buying, orders and paying, F-codes,
a round's results for engineers, the referral link, and the test provider's pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.core.forms import add_action_errors
from orangefriday.core.requests import client_ip
from orangefriday.core.text import render_markdown
from orangefriday.feedback.charts import bar_chart

from . import actions, payments
from .forms import AddressForm, BuyForm, GiftForm
from .models import FCode, Launch, Order, SaleRound
from .permissions import can_pay, can_run_sales, can_see_order
from .queries import (
    current_round,
    fan_fcodes,
    fan_orders,
    has_reserved,
    launch_phase,
    reservation_count,
    round_results,
)

REFERRER_SESSION_KEY = "sales_referrer"


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def launches(request: HttpRequest) -> HttpResponse:
    found = Launch.objects.select_related("product")
    return render(request, "sales/launches.html", {"launches": found})


def _launch_context(request: HttpRequest, launch: Launch) -> dict[str, Any]:
    now = timezone.now()
    rounds = list(launch.rounds.prefetch_related("allocations__edition"))
    fan = _viewer(request)
    return {
        "launch": launch,
        "product": launch.product,
        "description": render_markdown(launch.description),
        "editions": [(e, render_markdown(e.description)) for e in launch.editions.all()],
        "rounds": rounds,
        "current": current_round(rounds, now=now),
        "phase": launch_phase(launch, rounds, now=now),
        "reservations": reservation_count(launch),
        "reserved": has_reserved(fan, launch),
        "engineer": fan is not None and can_run_sales(fan, launch.product),
        "now": now,
    }


def launch(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of a launch: editions, window, rounds with a countdown."""
    found = get_object_or_404(Launch.objects.select_related("product"), slug=slug)
    return render(request, "sales/launch.html", _launch_context(request, found))


@login_required
@require_POST
def reserve(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Launch, slug=slug)
    referrer = request.session.get(REFERRER_SESSION_KEY)
    fan = fan_of(request)
    # Only a fan who signed up after following the link was brought by it.
    referrer_id = None
    if referrer and fan.date_joined.timestamp() >= referrer["at"]:
        referrer_id = int(referrer["id"])
    try:
        actions.reserve(fan=fan, launch=found, referrer_id=referrer_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have reserved %(launch)s.") % {"launch": found.name})
    return redirect(found.get_absolute_url())


def _buy_form(request: HttpRequest, sale_round: SaleRound, **kwargs: Any) -> BuyForm:
    fan = _viewer(request)
    addresses = fan.addresses.all() if fan else []
    return BuyForm(editions=sale_round.launch.editions.all(), addresses=addresses, **kwargs)


def _round_page(
    request: HttpRequest, sale_round: SaleRound, *, form: BuyForm | None = None, status: int = 200
) -> HttpResponse:
    context = _launch_context(request, sale_round.launch)
    context.update(
        sale_round=sale_round,
        started=sale_round.starts_at <= timezone.now(),
        allocations=list(sale_round.allocations.select_related("edition")),
        form=form or _buy_form(request, sale_round),
        has_address=_viewer(request) is not None and _viewer(request).addresses.exists(),  # type: ignore[union-attr]
    )
    return render(request, "sales/round.html", context, status=status)


def sale_round(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SaleRound.objects.select_related("launch__product"), pk=pk)
    return _round_page(request, found)


@login_required
@require_POST
def buy(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's buy button: the same action as the API's buy call."""
    found = get_object_or_404(SaleRound.objects.select_related("launch__product"), pk=pk)
    form = _buy_form(request, found, data=request.POST)
    if form.is_valid():
        try:
            order = actions.buy(
                fan=fan_of(request),
                round_id=found.pk,
                edition_id=form.cleaned_data["edition"].pk,
                address_id=form.cleaned_data["address"].pk,
                fcode=form.cleaned_data["fcode"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("It is yours: pay within %(minutes)s minutes.")
                % {"minutes": int((order.held_until - order.created_at).total_seconds() // 60)},
            )
            return redirect(order.get_absolute_url())
    return _round_page(request, found, form=form, status=400)


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    return render(request, "sales/orders.html", {"orders": fan_orders(fan_of(request))})


def _own_order(request: HttpRequest, pk: int, *, to_pay: bool = False) -> Order:
    """The order, if the fan may see it (or, `to_pay`, pay it); otherwise 403."""
    found = get_object_or_404(
        Order.objects.select_related(
            "sale_round__launch__product", "allocation__edition", "address"
        ),
        pk=pk,
    )
    fan = fan_of(request)
    if not (can_pay if to_pay else can_see_order)(fan, found):
        raise PermissionDenied(_("This is not your order."))
    return found


@login_required
def order(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_order(request, pk)
    return render(
        request,
        "sales/order.html",
        {
            "order": found,
            "history": found.history.all(),
            "now": timezone.now(),
            "buyer": can_pay(fan_of(request), found),
        },
    )


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """To the provider's page."""
    return redirect(payments.provider().checkout_url(_own_order(request, pk, to_pay=True)))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_order(request, pk)
    try:
        actions.cancel_order(by=fan_of(request), order=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(found.get_absolute_url())


@login_required
def new_address(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    back = request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_address(fan=fan_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Address saved."))
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect("sales:orders")
    return render(
        request,
        "sales/address.html",
        {"form": form, "next": back},
        status=400 if form.errors else 200,
    )


@login_required
def fcodes(request: HttpRequest) -> HttpResponse:
    found = [(f, actions.format_code(f.code)) for f in fan_fcodes(fan_of(request))]
    return render(request, "sales/fcodes.html", {"fcodes": found, "form": GiftForm()})


@login_required
@require_POST
def gift(request: HttpRequest, pk: int) -> HttpResponse:
    fan = fan_of(request)
    found = get_object_or_404(FCode.objects.select_related("launch"), pk=pk, holder=fan)
    form = GiftForm(request.POST)
    if form.is_valid():
        to = User.objects.filter(username=form.cleaned_data["to"], is_active=True).first()
        if to is None:
            messages.error(request, _("There is no fan of that name."))
        else:
            try:
                actions.gift_fcode(by=fan, fcode=found, to=to)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Your F-code is now %(name)s's.") % {"name": to.shown_name}
                )
    return redirect("sales:fcodes")


def referral(request: HttpRequest, username: str) -> HttpResponse:
    """A fan's referral link: remembered in the visitor's session, then on to sign-up. A
    fan who signs up after this and reserves is recorded as brought by the link's fan."""
    referrer = get_object_or_404(User, username=username, is_active=True)
    if _viewer(request) is None:
        request.session[REFERRER_SESSION_KEY] = {
            "id": referrer.pk,
            "at": timezone.now().timestamp(),
        }
    return redirect("accounts:signup")


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's results for the product's engineers: numbers and a chart."""
    found = get_object_or_404(SaleRound.objects.select_related("launch__product"), pk=pk)
    if not can_run_sales(fan_of(request), found.launch.product):
        raise PermissionDenied(_("Only the product's engineers see a round's results."))
    rows = round_results(found)
    totals = {
        key: sum(getattr(r, key) for r in rows)
        for key in (
            "units",
            "fcode_units",
            "left",
            "fcode_left",
            "held",
            "paid",
            "shipped",
            "expired",
            "cancelled",
            "refunded",
            "sold",
        )
    }
    chart = bar_chart(
        [
            (_("paid or shipped"), totals["sold"], None),
            (_("held, not paid yet"), totals["held"], None),
            (_("expired (unit given back)"), totals["expired"], None),
            (_("cancelled or refunded"), totals["cancelled"] + totals["refunded"], None),
            (_("left in stock"), totals["left"] + totals["fcode_left"], None),
        ]
    )
    revenue = sum((r.revenue for r in rows), start=0)
    currency = rows[0].currency if rows else ""
    return render(
        request,
        "sales/results.html",
        {
            "sale_round": found,
            "launch": found.launch,
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "revenue": revenue,
            "currency": currency,
        },
    )


# -- the built-in test provider ----------------------------------------------------------------


@login_required
def test_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """The test provider's checkout page: Pay has the provider confirm to our webhook."""
    found = _own_order(request, pk, to_pay=True)
    if request.method == "POST":
        test = payments.TestProvider()
        body, signature = test.confirmation(found)
        url = request.build_absolute_uri(reverse("sales:test_webhook"))
        status = payments.send_webhook(url, body, signature)
        if status != 200:
            messages.error(
                request, _("The payment was not accepted: the order can no longer be paid.")
            )
        return redirect(found.get_absolute_url())
    return render(request, "sales/test_payment.html", {"order": found, "now": timezone.now()})


@csrf_exempt
@require_POST
def test_webhook(request: HttpRequest) -> HttpResponse:
    """The signed confirmation: 200 once the order is paid (a repeat too), 400 for a bad
    signature or body, 404 an unknown order, 409 an order that can no longer be paid."""
    provider = payments.TestProvider()
    try:
        confirmation = provider.parse_webhook(request.body, dict(request.headers))
    except payments.BadConfirmation as error:
        return JsonResponse({"error": str(error)}, status=400)
    try:
        paid = actions.confirm_payment(
            order_id=confirmation.order_id,
            provider=provider.name,
            reference=confirmation.reference,
            amount=confirmation.amount,
            currency=confirmation.currency,
        )
    except Order.DoesNotExist:
        return JsonResponse({"error": "no such order"}, status=404)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    return JsonResponse({"order": paid.pk, "state": paid.state})
