from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer, django_auth

from orangefriday.core.api import InputSchema, bearer_token
from orangefriday.core.idempotency import idempotent as make_idempotent

from .actions import delete_account, request_email_change, update_profile, user_for_token
from .export import export_of
from .models import fan_of

# What a read is; any other method through the API is a write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """`Authorization: Bearer <personal API token>`. A wrong token is a 401, never anonymous."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        writes = request.method not in SAFE_METHODS
        # A write stamps the token once it is done (middleware.TokenWriteMiddleware).
        user = user_for_token(token, touch=not writes)
        if user is None:
            raise AuthenticationError(
                401, "That API token is unknown, revoked or expired, or its fan is suspended."
            )
        request.user = user
        if writes:
            request.token_written = user.token_id  # type: ignore[attr-defined]
        return user


def token_used_at(request: HttpRequest) -> datetime | None:
    """When the bearer token of this call was last used before it (a write stamps it once
    done), or None: never, or not a call with a token."""
    if bearer_token(request) is None or not request.user.is_authenticated:
        return None
    return getattr(request.user, "token_used_at", None)


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
    raw = bearer_token(request)
    if raw is not None:
        user = user_for_token(raw, touch=False)  # the call's own authentication touched it
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
    display_name: str = Field(description="Shown instead of the username; empty: the username")
    avatar_url: str | None = Field(description="The avatar's address; null: a drawn initial")
    email: str
    role: str
    date_joined: datetime
    post_count: int
    vote_count: int
    trust_level: int = Field(description="0 new, 1 basic, 2 member, 3 regular, 4 leader")
    silenced_until: datetime | None = Field(description="Silenced: no writing until then")
    silence_reason: str
    suspended_until: datetime | None
    suspension_reason: str


@router.get("/me", response=MeOut, auth=SIGNED_IN, summary="The fan making the request")
def me(request: HttpRequest) -> dict[str, Any]:
    user = fan_of(request)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": settings.SITE_URL + user.avatar_url if user.avatar else None,
        "email": user.email,
        "role": user.role,
        "date_joined": user.date_joined,
        "post_count": user.posts.visible().count(),  # type: ignore[attr-defined]
        "vote_count": user.votes.count(),
        "trust_level": user.trust_level,
        "silenced_until": user.silenced_until if user.is_silenced else None,
        "silence_reason": user.silence_reason if user.is_silenced else "",
        "suspended_until": user.suspended_until if user.is_suspended else None,
        "suspension_reason": user.suspension_reason if user.is_suspended else "",
    }


class ProfileIn(InputSchema):
    display_name: str | None = Field(
        None, description="Shown instead of your username; empty goes back to the username"
    )


@router.patch("/me", response=MeOut, auth=SIGNED_IN, summary="Change your display name")
def patch_me(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    update_profile(fan=fan_of(request), display_name=payload.display_name)
    return me(request)


@router.post(
    "/me/avatar",
    response=MeOut,
    auth=SIGNED_IN,
    summary="Upload your avatar (multipart field `avatar`: JPEG, PNG, WebP or GIF)",
)
def upload_avatar(request: HttpRequest, avatar: File[UploadedFile]) -> dict[str, Any]:
    update_profile(fan=fan_of(request), avatar=avatar)
    return me(request)


@router.delete("/me/avatar", response=MeOut, auth=SIGNED_IN, summary="Remove your avatar")
def delete_avatar(request: HttpRequest) -> dict[str, Any]:
    update_profile(fan=fan_of(request), remove_avatar=True)
    return me(request)


class EmailChangeIn(InputSchema):
    email: str = Field(description="The new address; a link is sent there")
    password: str = Field(description="Your password, asked again")


class SentOut(Schema):
    detail: str


@router.post(
    "/me/email",
    response={202: SentOut},
    auth=SIGNED_IN,
    summary="Change your e-mail address: the link sent to the new one makes the change",
)
def change_email(request: HttpRequest, payload: EmailChangeIn) -> Any:
    request_email_change(
        fan=fan_of(request), email=payload.email, password=payload.password, request=request
    )
    return Status(
        202,
        {
            "detail": _("We sent a link to %(email)s: your address changes when you open it.")
            % {"email": payload.email.strip()}
        },
    )


@router.get(
    "/me/data",
    response=dict[str, Any],
    auth=SIGNED_IN,
    summary="Everything you gave: profile, settings, posts, comments, votes, follows, reports …",
)
def my_data(request: HttpRequest) -> dict[str, Any]:
    return export_of(fan_of(request))


class DeleteIn(InputSchema):
    password: str = Field(description="Your password, asked again")
    content: Literal["keep", "remove"] = Field(
        description='"keep": your posts and comments stay, signed "a former fan"; "remove": '
        "they become tombstones, as when you delete them"
    )


@router.delete(
    "/me",
    response={204: None},
    auth=SIGNED_IN,
    summary="Delete your account (personal data erased; votes stay as counts)",
)
def delete_me(request: HttpRequest, payload: DeleteIn) -> Any:
    delete_account(
        fan=fan_of(request),
        password=payload.password,
        keep_content=payload.content == "keep",
        request=request,
    )
    return Status(204, None)
