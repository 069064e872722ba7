from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from orangefriday.core import panels

from .actions import create_api_token, revoke_api_token
from .forms import SignUpForm, TokenForm
from .models import User, fan_of


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Vote for what you want next.")
        return redirect(_safe_next(request) or "home")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    fan = get_object_or_404(User, username=username, is_active=True)
    context = {"fan": fan, "profile_panels": panels.for_object("profile", request, fan)}
    return render(request, "accounts/profile.html", context)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = create_api_token(user=fan_of(request), name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = fan_of(request).api_tokens.all()
    return render(
        request, "accounts/settings.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_api_token(user=fan_of(request), token_id=token_id):
        messages.success(request, "Token revoked. Anything using it is now refused.")
    else:
        messages.error(request, "No such active token.")
    return redirect("accounts:settings")
