"""Settings for the worker processes the delivery tests start: the project's settings with
short leases, so that a killed worker's emails and events are taken up again within
seconds, not minutes."""

import os

from orangefriday.settings import *  # noqa: F403

OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "3"))
OUTBOX_BATCH = int(os.environ.get("OUTBOX_BATCH", "10"))
# The lease outlasts a send: at most a handful of SMTP round trips, each bounded by this.
EMAIL_TIMEOUT = OUTBOX_LEASE_SECONDS / 8
EVENTS_LEASE_SECONDS = float(os.environ.get("EVENTS_LEASE_SECONDS", "2"))
FANOUT_CHUNK_FANS = int(os.environ.get("FANOUT_CHUNK_FANS", "3"))
