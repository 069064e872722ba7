from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from orangefriday.accounts.models import fan_of
from orangefriday.core.paging import page_number

from .emails import set_update_emails
from .inbox import mark_all_read, mark_read
from .models import Digest, Notification
from .preferences import CHOOSABLE, Choice, set_choices
from .queries import fan_id_from_unsubscribe_token, notifications_page, wants_update_emails


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    fan = fan_of(request)
    unread_only = request.GET.get("unread") == "1"
    page = notifications_page(fan, number=page_number(request), unread_only=unread_only)
    context = {
        "page": page,
        "unread_only": unread_only,
        "emails_on": wants_update_emails(fan),
    }
    return render(request, "notifications/list.html", context)


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes where it points."""
    try:
        notification = mark_read(fan=fan_of(request), notification_id=pk)
    except Notification.DoesNotExist as missing:
        raise Http404("No such notification.") from missing
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    marked = mark_all_read(fan=fan_of(request))
    if marked:
        messages.success(
            request,
            ngettext(
                "Marked %(marked)s notification read.",
                "Marked %(marked)s notifications read.",
                marked,
            )
            % {"marked": marked},
        )
    return redirect("notifications:list")


@login_required
@require_POST
def email_updates(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("on") == "1"
    set_update_emails(fan_id=fan_of(request).pk, on=on)
    if on:
        messages.success(request, gettext("We will email you about the posts you follow."))
    else:
        messages.success(request, gettext("No more emails about the posts you follow."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The settings page's form: a checked box is on, an unchecked one off."""
    in_app, email = set(request.POST.getlist("in_app")), set(request.POST.getlist("email"))
    kinds = {
        kind.value: Choice(in_app=kind.value in in_app, email=kind.value in email)
        for kind in CHOOSABLE
    }
    digest = request.POST.get("digest", Digest.WEEKLY)
    if digest not in Digest.values:
        raise BadRequest("Unknown digest frequency.")
    set_choices(fan=fan_of(request), kinds=kinds, digest=digest)
    messages.success(request, gettext("Your notification choices are saved."))
    return redirect(reverse("accounts:settings") + "#notifications")


# The link in every email: the signed token is the credential, so it works logged out, and
# mail clients' RFC 8058 one-click POST carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST does it."""
    fan_id = fan_id_from_unsubscribe_token(token)
    if fan_id is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    done = request.method == "POST"
    if done:
        set_update_emails(fan_id=fan_id, on=False)
    return render(request, "notifications/unsubscribe.html", {"done": done, "token": token})
