"""Who read what: distinct signed-in readers per post, and a count of anonymous views.

Opening a post must not cost a database write, so reads are gathered in this process and
written in one batch every READS_FLUSH_EVERY reads or READS_FLUSH_SECONDS, whichever comes
first. A process that dies loses at most one unflushed batch of view counts (never a vote),
which is an acceptable price for a statistic. Distinct readers are one row per (post, fan),
not one per view, and readers_count is recounted from those rows so it stays exact.

Each reader row carries the fan's trust level at the flush and its weight
(ranking.best.activity_weight); the post's weighted_readers and its stored scores are
recounted in the same transaction, with the posts' rows locked first, so that a vote (which
also makes its fan a reader, see voting.actions) and a flush never miss each other's rows.
"""

import threading
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.ranking.best import activity_weight, burst_goes_on

from .models import Post, PostReader
from .scoring import rescore


class _ReadBuffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fan_reads: set[tuple[int, int]] = set()
        self.anonymous: Counter[int] = Counter()
        self.pending = 0
        self.since = time.monotonic()

    def add(self, post_id: int, fan_id: int | None) -> bool:
        """Buffer one read; True when the buffer is due to be flushed."""
        with self.lock:
            if fan_id is None:
                self.anonymous[post_id] += 1
            else:
                self.fan_reads.add((post_id, fan_id))
            self.pending += 1
            return (
                self.pending >= settings.READS_FLUSH_EVERY
                or time.monotonic() - self.since >= settings.READS_FLUSH_SECONDS
            )

    def take(self) -> tuple[set[tuple[int, int]], Counter[int]]:
        with self.lock:
            taken = self.fan_reads, self.anonymous
            self.fan_reads, self.anonymous = set(), Counter()
            self.pending = 0
            self.since = time.monotonic()
            return taken


_buffer = _ReadBuffer()


def record_read(*, post_id: int, fan_id: int | None) -> None:
    """Count that a fan (or an anonymous visitor, fan_id None) opened a post."""
    if _buffer.add(post_id, fan_id):
        flush_reads()


def discard_reads() -> None:
    """Forget the buffered reads (tests start each case with an empty buffer)."""
    _buffer.take()


def flush_reads() -> None:
    """Write the buffered reads now."""
    fan_reads, anonymous = _buffer.take()
    if not fan_reads and not anonymous:
        return
    now = timezone.now()
    # A fan may have been deleted since the read; her reads go with her.
    levels = dict(
        User.objects.filter(pk__in={f for _, f in fan_reads}).values_list("pk", "trust_level")
    )
    with transaction.atomic():
        # Locked in id order, as one statement (as expire_trending_votes does); a post
        # deleted since the read is not there, and its reads go with it.
        bursts = dict(
            Post.objects.select_for_update()
            .filter(pk__in={p for p, _ in fan_reads} | set(anonymous))
            .order_by("pk")
            .values_list("pk", "burst_until")
        )
        PostReader.objects.bulk_create(
            [
                PostReader(
                    post_id=p,
                    fan_id=f,
                    first_read_at=now,
                    trust_level=levels[f],
                    weight=activity_weight(
                        trust_level=levels[f],
                        in_burst=burst_goes_on(bursts[p], now),
                    ),
                )
                for p, f in sorted(fan_reads)
                if p in bursts and f in levels
            ],
            ignore_conflicts=True,
        )
        readers = PostReader.objects.filter(post=OuterRef("pk")).values("post")
        read_posts = {p for p, _ in fan_reads} & set(bursts)
        Post.objects.filter(pk__in=read_posts).update(
            readers_count=Subquery(readers.annotate(n=Count("id")).values("n")),
            weighted_readers=Subquery(readers.annotate(w=Sum("weight")).values("w")),
        )
        rescore(read_posts)
        for post_id, views in sorted(anonymous.items()):
            if post_id not in bursts:
                continue
            Post.objects.filter(pk=post_id).update(anonymous_views=F("anonymous_views") + views)
