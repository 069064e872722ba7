import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orangefriday.core import panels
from orangefriday.core.forms import add_action_errors
from orangefriday.core.images import image_response
from orangefriday.core.limits import RateLimited, hit
from orangefriday.core.requests import client_ip

from .actions import (
    confirm_email_change,
    create_api_token,
    delete_account,
    request_email_change,
    revoke_api_token,
    send_verification,
    set_preferences,
    sign_up,
    update_profile,
    verify_email,
)
from .export import export_of
from .forms import (
    DeleteAccountForm,
    EmailChangeForm,
    LockedPasswordChangeForm,
    LoginForm,
    PreferencesForm,
    ProfileForm,
    SignUpForm,
    TokenForm,
)
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
            language=translation.get_language() or "",
            time_zone=form.cleaned_data["time_zone"],
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
    messages.success(
        request,
        _("Your address is confirmed. Welcome, %(name)s!") % {"name": user.shown_name},
    )
    return redirect("home")


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    fan = fan_of(request)
    if not needs_verification(fan):
        messages.info(request, _("Your address is already confirmed."))
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
        messages.success(
            request, _("We sent a new link to %(fan_email)s.") % {"fan_email": fan.email}
        )
    return redirect("accounts:settings")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """The old password is checked behind the log-in lockout (forms.LockedPasswordChangeForm)."""

    form_class = LockedPasswordChangeForm
    success_url = reverse_lazy("accounts:password_changed")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


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
    context = _settings_context(request, fan, form=form, new_token=new_token)
    return render(request, "accounts/settings.html", context, status=status)


def _settings_context(
    request: HttpRequest,
    fan: User,
    *,
    form: TokenForm | None = None,
    preferences_form: PreferencesForm | None = None,
    profile_form: ProfileForm | None = None,
    email_form: EmailChangeForm | None = None,
    delete_form: DeleteAccountForm | None = None,
    new_token: str | None = None,
) -> dict[str, object]:
    initial = {"language": fan.language, "time_zone": fan.time_zone}
    return {
        "form": form or TokenForm(),
        "preferences_form": preferences_form or PreferencesForm(initial=initial),
        "profile_form": profile_form or ProfileForm(initial={"display_name": fan.display_name}),
        "email_form": email_form or EmailChangeForm(),
        "delete_form": delete_form or DeleteAccountForm(),
        "tokens": fan.api_tokens.all(),
        "new_token": new_token,
        "unverified": needs_verification(fan),
        "settings_panels": panels.for_object("settings", request, fan),
    }


@login_required
@require_POST
def profile_settings(request: HttpRequest) -> HttpResponse:
    """The settings page's display name and avatar."""
    form = ProfileForm(request.POST, request.FILES)
    fan = fan_of(request)
    status = 400
    if form.is_valid():
        try:
            update_profile(
                fan=fan,
                display_name=form.cleaned_data["display_name"],
                avatar=form.cleaned_data["avatar"],
                remove_avatar=form.cleaned_data["remove_avatar"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
            status = 429 if isinstance(error, RateLimited) else 400
            fan.refresh_from_db()  # the page shows what is saved, not what was refused
    if form.errors:
        context = _settings_context(request, fan, profile_form=form)
        return render(request, "accounts/settings.html", context, status=status)
    messages.success(request, _("Your profile is saved."))
    return redirect("accounts:settings")


@login_required
@require_POST
def change_email(request: HttpRequest) -> HttpResponse:
    """The settings page's new address: a link goes there (the answer is the same whether
    or not another account has it)."""
    form = EmailChangeForm(request.POST)
    fan = fan_of(request)
    status = 400
    if form.is_valid():
        try:
            request_email_change(fan=fan, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
            status = 429 if isinstance(error, RateLimited) else 400
    if form.errors:
        context = _settings_context(request, fan, email_form=form)
        return render(request, "accounts/settings.html", context, status=status)
    messages.success(
        request,
        _("We sent a link to %(email)s: your address changes when you open it.")
        % {"email": form.cleaned_data["email"].strip()},
    )
    return redirect("accounts:settings")


@never_cache
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a new address asks for one click (a mail scanner's visit changes
    nothing), then makes it the fan's address."""
    if request.method != "POST":
        return render(request, "accounts/confirm_email.html", {"token": token})
    try:
        fan = confirm_email_change(token=token)
    except ValidationError as error:
        context = {"error": error.messages[0]}
        return render(request, "accounts/confirm_email.html", context, status=400)
    messages.success(request, _("Your address is now %(email)s.") % {"email": fan.email})
    return redirect("accounts:settings" if request.user.pk == fan.pk else "home")


@login_required
def download_data(request: HttpRequest) -> HttpResponse:
    """Everything the fan gave, as one JSON file (accounts.export: each app's part)."""
    fan = fan_of(request)
    response = JsonResponse(export_of(fan), json_dumps_params={"ensure_ascii": False, "indent": 1})
    name = f"orangefriday-{fan.username}-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def delete_my_account(request: HttpRequest) -> HttpResponse:
    """Leaving, from the settings page: the account is deleted and the fan logged out."""
    form = DeleteAccountForm(request.POST)
    fan = fan_of(request)
    if form.is_valid():
        try:
            delete_account(
                fan=fan,
                password=form.cleaned_data["password"],
                keep_content=form.cleaned_data["content"] == "keep",
                request=request,
            )
        except ValidationError as error:
            add_action_errors(form, error)
    if form.errors:
        context = _settings_context(request, fan, delete_form=form)
        return render(request, "accounts/settings.html", context, status=400)
    logout(request)
    messages.success(request, _("Your account is deleted. Thank you for all you gave."))
    return redirect("home")


# The name a stored avatar has (core.images.image_path): nothing else is ever looked up.
AVATAR_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png)")


def avatar(request: HttpRequest, name: str) -> FileResponse:
    """A fan's avatar, by its file's name: a new name at each change, so it is cached for
    ever; served as an image and nothing else (core.images.image_response)."""
    if not AVATAR_NAME.fullmatch(name):
        raise Http404
    fan = get_object_or_404(User, avatar=f"user/{name}", is_active=True)
    return image_response(fan.avatar)


def profile(request: HttpRequest, username: str) -> HttpResponse:
    fan = get_object_or_404(User, username=username, is_active=True)
    context = {"fan": fan, "profile_panels": panels.for_object("profile", request, fan)}
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_api_token(user=fan_of(request), token_id=token_id):
        messages.success(request, _("Token revoked. Anything using it is now refused."))
    else:
        messages.error(request, _("No such active token."))
    return redirect("accounts:settings")


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )


def _checked_form(request: HttpRequest) -> HttpResponse:
    """What CsrfViewMiddleware checks a fan's language switch as: any form of theirs."""
    return HttpResponse()


# A visitor's page carries no CSRF token (so that it can be cached, core/pagecache.py), and
# switching a visitor's language is harmless; a fan's switch is a write to their account,
# so it is checked as any other form of theirs.
@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The switcher on every page: the page again, in the chosen language; for a signed-in
    fan it is also their setting (emails and notifications follow it)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        raise BadRequest("Unknown language.")
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(_checked_form).process_view(request, _checked_form, (), {})
        if refused is not None:
            return refused
        try:
            set_preferences(fan=fan_of(request), language=language)
        except RateLimited as error:
            messages.error(request, error.messages[0])
            return redirect(_safe_next(request) or "home")
    response = redirect(_safe_next(request) or "home")
    _remember_language(response, language)
    return response


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """The settings page's language and time zone."""
    form = PreferencesForm(request.POST)
    fan = fan_of(request)
    status = 400
    if form.is_valid():
        try:
            set_preferences(fan=fan, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
            status = 429 if isinstance(error, RateLimited) else 400
    if form.errors:
        context = _settings_context(request, fan, preferences_form=form)
        return render(request, "accounts/settings.html", context, status=status)
    # The confirmation in the language just chosen.
    translation.activate(fan.language or translation.get_language_from_request(request))
    messages.success(request, _("Your language and time zone are saved."))
    response = redirect("accounts:settings")
    if fan.language:
        _remember_language(response, fan.language)
    return response
