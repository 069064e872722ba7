""" "Did this solve it?": the rules as plain functions (no database) and the signed link.

A shipped post's voters answer, for each build that shipped it, whether the build solved
what they asked for. The link in the build's email carries who is asked about what, signed
(django.core.signing, with a salt of its own, so no other signed value of the site passes
for it) and expiring with the answering window: it works logged out.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils.encoding import force_bytes

SALT = "orangefriday.feedback.solved"


def answering_closes(published_at: datetime) -> datetime:
    """Until when a build's voters answer (and change their answers)."""
    return published_at + timedelta(days=settings.SOLVED_ANSWER_DAYS)


def should_reopen(*, answered: int, unsolved: int) -> bool:
    """At least SOLVED_REOPEN_SHARE of at least SOLVED_REOPEN_MIN_ANSWERS answers say no."""
    if answered <= 0 or answered < settings.SOLVED_REOPEN_MIN_ANSWERS:
        return False
    return unsolved >= settings.SOLVED_REOPEN_SHARE * answered


@dataclass(frozen=True)
class Asked:
    """Who a link asks, about which post, shipped in which build."""

    fan_id: int
    post_id: int
    build_id: int


def signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def answer_tokens() -> Callable[[Asked], str]:
    """A maker of tokens for a whole chunk of a build's emails (a million tokens a build).
    They are `signer().sign_object([fan, post, build])` exactly, which `read_token`
    unsigns; but the HMAC key is derived and the time read once per chunk, not per token:
    Django's sign_object spent 45 s of a 1M-vote fan-out deriving, serializing and
    encoding the same things again. A chunk takes seconds, so its tokens share a
    timestamp a few seconds early: they expire that much sooner, well inside the window."""
    by = signer()
    stamp = by.timestamp()
    key = hashlib.sha256(force_bytes(by.salt) + b"signer" + force_bytes(by.key)).digest()
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def token(asked: Asked) -> str:
        # What JSONSerializer writes for a list of ints: no spaces.
        data = f"[{asked.fan_id},{asked.post_id},{asked.build_id}]".encode()
        value = f"{signing.b64_encode(data).decode()}:{stamp}"
        mac = keyed.copy()
        mac.update(value.encode())
        return f"{value}:{signing.b64_encode(mac.digest()).decode()}"

    return token


def answer_token(asked: Asked) -> str:
    return answer_tokens()(asked)


def read_token(token: str) -> Asked | None:
    """The question a token asks; None when it was not signed by us, or is too old to be
    answered any more."""
    try:
        value = signer().unsign_object(token, max_age=timedelta(days=settings.SOLVED_ANSWER_DAYS))
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(type(part) is int and part > 0 for part in value)
    ):
        return None
    return Asked(*value)


@dataclass(frozen=True)
class Figures:
    """The answers about one post in one build (or about all posts of a build)."""

    answered: int = 0
    solved: int = 0

    @property
    def unsolved(self) -> int:
        return self.answered - self.solved

    @property
    def share(self) -> float | None:
        """Solved per answer, None without answers."""
        return self.solved / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)
