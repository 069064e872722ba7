from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from orangefriday.core import panels
from orangefriday.core.forms import add_action_errors
from orangefriday.core.limits import RateLimited, hit
from orangefriday.core.requests import client_ip

from .actions import (
    create_api_token,
    revoke_api_token,
    send_verification,
    sign_up,
    verify_email,
)
from .forms import LoginForm, SignUpForm, TokenForm
from .limits import needs_verification
from .models import User, fan_of


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


def signup(request: HttpRequest) -> HttpResponse:
    """Sign up: the same "check your inbox" page whether or not the address is registered."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hit(
                "signup",
                settings.RATE_LIMITS["signup"],
                client_ip(request),
                message="Too many sign-ups from your address",
            )
        except RateLimited as error:
            add_action_errors(form, error)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        return render(request, "accounts/check_inbox.html", {"email": form.cleaned_data["email"]})
    status = 400 if form.errors else 200
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/signup.html", context, status=status)


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail asks for one click (a mail scanner's visit confirms nothing),
    then confirms the address and logs the fan in."""
    if request.method != "POST":
        return render(request, "accounts/verify.html", {"token": token})
    try:
        user = verify_email(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify.html", {"error": error.messages[0]}, status=400)
    login(request, user, backend="orangefriday.accounts.backends.LockoutBackend")
    messages.success(request, f"Your address is confirmed. Welcome, {user.username}!")
    return redirect("home")


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    fan = fan_of(request)
    if not needs_verification(fan):
        messages.info(request, "Your address is already confirmed.")
        return redirect("accounts:settings")
    try:
        hit(
            "verification_email",
            settings.RATE_LIMITS["verification_email"],
            fan.pk,
            message="We sent it several times already",
        )
    except RateLimited as error:
        messages.error(request, error.messages[0])
    else:
        send_verification(user=fan)
        messages.success(request, f"We sent a new link to {fan.email}.")
    return redirect("accounts:settings")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


@method_decorator(never_cache, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The reset form, limited per address and per sender; it says the same whether or not
    the address is registered (Django's own behaviour)."""

    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        limits = settings.RATE_LIMITS
        email = form.cleaned_data["email"].strip().lower()
        try:
            hit(
                "password_reset_ip",
                limits["password_reset_ip"],
                client_ip(self.request),
                message="Too many password resets from your address",
                field="email",
            )
            hit(
                "password_reset",
                limits["password_reset"],
                email,
                message="We sent several links to this address already",
                field="email",
            )
        except RateLimited as error:
            add_action_errors(form, error)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """A fan's settings: API tokens (a new one is shown once), the address, the password."""
    fan = fan_of(request)
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = create_api_token(
                user=fan, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as error:
            add_action_errors(form, error)
            status = 429 if isinstance(error, RateLimited) else 400
        else:
            form = TokenForm()
    elif form.errors:
        status = 400
    context = {
        "form": form,
        "tokens": fan.api_tokens.all(),
        "new_token": new_token,
        "unverified": needs_verification(fan),
    }
    response = render(request, "accounts/settings.html", context, status=status)
    return response


def profile(request: HttpRequest, username: str) -> HttpResponse:
    fan = get_object_or_404(User, username=username, is_active=True)
    context = {"fan": fan, "profile_panels": panels.for_object("profile", request, fan)}
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_api_token(user=fan_of(request), token_id=token_id):
        messages.success(request, "Token revoked. Anything using it is now refused.")
    else:
        messages.error(request, "No such active token.")
    return redirect("accounts:settings")
