"""Named leases: one holder at a time, for as long as it keeps renewing.

A holder that dies stops renewing and its lease runs out, so nothing waits for ever; a
holder that renews inside its own transaction (see `keep`) learns at once, and rolls back,
if its lease ran out and somebody else took it meanwhile.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease


class LeaseLost(Exception):
    """The lease ran out and another holder took it: stop, the work is theirs now."""


def new_holder() -> str:
    return uuid.uuid4().hex


def take(name: str, *, holder: str, seconds: float) -> bool:
    """Take (or renew) the lease `name` for `seconds` unless someone else holds it."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    free_or_mine = Q(expires_at__lt=now) | Q(holder=holder)
    if Lease.objects.filter(free_or_mine, name=name).update(holder=holder, expires_at=until):
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:  # it exists and is someone else's
        return False
    return True


def keep(name: str, *, holder: str, seconds: float) -> None:
    """Renew the lease inside the caller's transaction, or raise LeaseLost. On PostgreSQL
    the renewal locks the row until commit, so no other holder can take it in between."""
    until = timezone.now() + timedelta(seconds=seconds)
    if not Lease.objects.filter(name=name, holder=holder).update(expires_at=until):
        raise LeaseLost(name)


def release(name: str, *, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).delete()
