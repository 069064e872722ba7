from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from orangefriday.core.idempotency import idempotent as make_idempotent

from .actions import user_for_token
from .models import User


class BearerToken(HttpBearer):
    """`Authorization: Bearer <personal API token>`. A wrong token is a 401, never anonymous."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(401, "That API token is unknown, revoked or expired.")
        request.user = user
        return user


class Anonymous:
    """Lets public reads through for visitors; `request.user` stays AnonymousUser.

    Its OpenAPI scheme is a placeholder that core.api.document_errors turns into the empty
    requirement `{}`: signing in is optional on these routes."""

    openapi_security_schema = {"type": "http", "scheme": "anonymous"}

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            request.user = AnonymousUser()
        return True


anonymous = Anonymous()


def api_fan_id(request: HttpRequest) -> int | None:
    """The fan an API call comes from, by its bearer token or its session; None for none."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        user = user_for_token(raw.strip())
        return user.pk if user else None
    return request.user.pk if request.user.is_authenticated else None


# `@idempotent` under a creating route's router decorator: the same Idempotency-Key from
# the same fan within 24 h answers as the first call did and creates nothing more.
idempotent = make_idempotent(api_fan_id)

# The logged-in session works too (django_auth checks CSRF on writes).
SIGNED_IN = [BearerToken(), django_auth]
ANYONE = [BearerToken(), django_auth, anonymous]

router = Router(tags=["fans"])


class MeOut(Schema):
    username: str
    email: str
    role: str
    date_joined: datetime
    post_count: int
    vote_count: int


@router.get("/me", response=MeOut, auth=SIGNED_IN, summary="The fan making the request")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)
    return {
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "date_joined": user.date_joined,
        "post_count": user.posts.count(),
        "vote_count": user.votes.count(),
    }
