"""Every write of moderation: flags, the queue's decisions, silences and suspensions, and
trust levels. Each action checks its permission (permissions.py), owns its transaction and
records its events (README, "Events"); invalid input raises ValidationError by field."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import (
    set_comment_visibility,
    set_post_featured,
    set_post_visibility,
)
from orangefriday.board.models import Comment, Post, Visibility
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.text import visible_line, visible_text
from orangefriday.voting.actions import merge_posts, recount_votes
from orangefriday.voting.models import Vote

from .models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Action,
    FanDay,
    Flag,
    FlagReason,
    FlagState,
    LogEntry,
    Review,
    Silence,
)
from .permissions import can_feature, can_review, can_sanction
from .trust import earned_level, flag_weight, stats_of

# What a moderator decides on an item of the queue.
DECISIONS = (
    Action.APPROVE,
    Action.HIDE,
    Action.DELETE,
    Action.MERGE,
    Action.HIDE_AND_SILENCE,
)
# How many fans the scheduler's trust round recomputes at most.
TRUST_ROUND = 1000


def _reason(reason: str, *, required: bool = True) -> str:
    reason = visible_line(reason, field="reason")
    if required and not reason:
        raise ValidationError({"reason": _("Say why: the fan sees it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}})
    return reason


def _item_fields(post: Post, comment: Comment | None) -> dict:
    return {"post": post, "comment": comment}


def _content_event(kind: str, item: Post | Comment, by: User | None, reason: str, **more) -> None:
    record(
        kind,
        subject=item,
        actor=by,
        author_id=item.author_id,
        reason=reason,
        by="moderator",
        **more,
    )


def _set_visibility(item: Post | Comment, visibility: str, reason: str = "") -> str:
    """Set the item's visibility (in the caller's transaction); returns the one before."""
    if isinstance(item, Comment):
        locked_comment, before = set_comment_visibility(item.pk, visibility, reason)
        item.visibility, item.visibility_reason = locked_comment.visibility, reason
        return before
    locked_post, before = set_post_visibility(item.pk, visibility, reason)
    item.visibility, item.visibility_reason = locked_post.visibility, reason
    return before


def flag_item(
    *,
    flagger: User,
    post: Post,
    comment: Comment | None = None,
    reason: str,
    text: str = "",
    original: Post | None = None,
) -> Flag:
    """A fan flags a post (or one of its comments): spam, abusive, off-topic, duplicate
    (naming the original) or something else (saying what). One flag per fan per item. The
    flag weighs the flagger's trust level and standing; once an item's pending flags
    weigh MODERATION_HIDE_WEIGHT it is hidden until a moderator decides. The fan's limit
    for flags applies; a silenced fan cannot flag."""
    item: Post | Comment = comment if comment is not None else post
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons.")})
    text = visible_text(text, field="text")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": TEXT_MAX_LENGTH}})
    if reason == FlagReason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong.")})
    if reason == FlagReason.DUPLICATE:
        _check_original(post, original)
    else:
        original = None
    if item.author_id == flagger.pk:
        raise ValidationError({"reason": _("You cannot flag what you wrote.")})
    if item.visibility != Visibility.VISIBLE:
        raise Conflict({"reason": _("This is not shown any more; there is nothing to flag.")})
    check_fan_write(fan=flagger, action="flag", what=_("flags"))
    standing = Flag.objects.filter(flagger=flagger)
    weight = flag_weight(
        flagger.trust_level,
        upheld=standing.filter(state=FlagState.UPHELD).count(),
        rejected=standing.filter(state=FlagState.REJECTED).count(),
    )
    try:
        with transaction.atomic():
            # One flag of an item at a time: its review's weight is then exact.
            Post.objects.select_for_update().filter(pk=post.pk).first()
            review = _open_review(post, comment)
            flag = Flag.objects.create(
                flagger=flagger,
                review=review,
                author_id=item.author_id,
                reason=reason,
                text=text,
                original=original,
                trust_level=flagger.trust_level,
                weight=weight,
                **_item_fields(post, comment),
            )
            Review.objects.filter(pk=review.pk).update(weight=F("weight") + weight)
            review.refresh_from_db(fields=["weight"])
            record(
                "flag.raised",
                subject=flag,
                actor=flagger,
                author_id=item.author_id,
                flagger_id=flagger.pk,
                reason=reason,
                weight=weight,
            )
            if review.weight >= settings.MODERATION_HIDE_WEIGHT:
                _hide_by_flags(item, reason)
    except IntegrityError:
        raise Conflict({"reason": _("You have already flagged this.")}) from None
    return flag


def _check_original(post: Post, original: Post | None) -> None:
    if original is None:
        raise ValidationError({"original": _("Name the post this one repeats.")})
    if original.pk == post.pk or original.product_id != post.product_id:
        raise ValidationError({"original": _("Name another post of the same board.")})
    if not original.is_visible:
        raise ValidationError({"original": _("That post is not shown on the board.")})


def _open_review(post: Post, comment: Comment | None, *, held: bool = False) -> Review:
    reviews = Review.objects.filter(state=Review.State.OPEN, post=post, comment=comment)
    review = reviews.first()
    if review is None:
        review = Review.objects.create(
            product_id=post.product_id, held=held, **_item_fields(post, comment)
        )
    return review


def _hide_by_flags(item: Post | Comment, reason: str) -> None:
    if item.visibility != Visibility.VISIBLE:
        return
    label = str(FlagReason(reason).label)
    _set_visibility(item, Visibility.HIDDEN, label)
    LogEntry.objects.create(
        action=Action.AUTO_HIDE, fan_id=item.author_id, reason=label, **_log_item(item)
    )
    _content_event("content.hidden", item, None, label, automatic=True)


def _log_item(item: Post | Comment) -> dict:
    if isinstance(item, Comment):
        return {"post_id": item.post_id, "comment": item}
    return {"post": item}


def hold_for_review(post: Post) -> Review:
    """Put a held post in the queue (board held it: see trust.hold_new_fans_links)."""
    with transaction.atomic():
        return _open_review(post, None, held=True)


def decide(
    *,
    by: User,
    review: Review,
    decision: str,
    reason: str = "",
    original: Post | None = None,
    until: datetime | None = None,
) -> Review:
    """A moderator's (or the product's engineer's) decision on a queue item:

    approve           the flags are rejected; a held or hidden item is shown again
    hide              hidden with a reason (restorable); the flags are upheld
    delete            deleted by moderators (for good); the flags are upheld
    merge             a post merged as a duplicate into `original`; the flags are upheld
    hide_and_silence  hidden, and its author silenced `until` (moderators only)
    """
    if not can_review(by, review.product):
        raise PermissionDenied(_("Only moderators and this product's engineers decide here."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose one of the decisions.")})
    if decision == Action.HIDE_AND_SILENCE and not can_sanction(by):
        raise PermissionDenied(_("Only moderators silence fans."))
    reason = _reason(
        reason, required=decision in (Action.HIDE, Action.DELETE, Action.HIDE_AND_SILENCE)
    )
    item = review.item
    if decision == Action.MERGE:
        if review.comment_id:
            raise ValidationError({"decision": _("Only posts are merged.")})
        _check_original(review.post, original)
    if decision == Action.HIDE_AND_SILENCE:
        _check_until(until)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.state != Review.State.OPEN:
            raise Conflict({"decision": _("Someone decided on this already.")})
        _settle_flags(locked, by, upheld=decision != Action.APPROVE)
        if decision == Action.APPROVE:
            before = _set_visibility(item, Visibility.VISIBLE)
            if before != Visibility.VISIBLE:
                _content_event("content.restored", item, by, "")
        elif decision in (Action.HIDE, Action.HIDE_AND_SILENCE):
            _set_visibility(item, Visibility.HIDDEN, reason)
            _content_event("content.hidden", item, by, reason)
        elif decision == Action.DELETE:
            _set_visibility(item, Visibility.REMOVED, reason)
            _content_event("content.deleted", item, by, reason)
        else:
            assert original is not None
            merge_posts(by=by, duplicate=review.post, original=original, note=reason)
        locked.state, locked.decision = Review.State.DECIDED, decision
        locked.decided_at, locked.decided_by = timezone.now(), by
        locked.save(update_fields=["state", "decision", "decided_at", "decided_by"])
        LogEntry.objects.create(
            moderator=by,
            action=decision,
            fan_id=item.author_id,
            reason=reason,
            until=until if decision == Action.HIDE_AND_SILENCE else None,
            **_log_item(item),
        )
        if decision == Action.HIDE_AND_SILENCE:
            assert until is not None
            author = User.objects.get(pk=item.author_id)
            _silence(by=by, fan=author, until=until, reason=reason, logged=True)
    return locked


def _settle_flags(review: Review, by: User, *, upheld: bool) -> None:
    state = FlagState.UPHELD if upheld else FlagState.REJECTED
    kind = "flag.upheld" if upheld else "flag.rejected"
    for flag in review.flags.filter(state=FlagState.PENDING):
        flag.state = state
        flag.save(update_fields=["state"])
        record(kind, subject=flag, actor=by, author_id=flag.author_id, flagger_id=flag.flagger_id)


def restore(*, by: User, post: Post, comment: Comment | None = None) -> None:
    """Show a hidden post or comment again (a deletion is for good)."""
    item: Post | Comment = comment if comment is not None else post
    if not can_review(by, post.product):
        raise PermissionDenied(_("Only moderators and this product's engineers restore."))
    if item.visibility != Visibility.HIDDEN:
        raise Conflict({"visibility": _("Only hidden posts and comments are restored.")})
    with transaction.atomic():
        _set_visibility(item, Visibility.VISIBLE)
        # Its open review (flags that hid it) is settled as an approval.
        for review in Review.objects.filter(state=Review.State.OPEN, **_item_fields(post, comment)):
            _settle_flags(review, by, upheld=False)
            review.state, review.decision = Review.State.DECIDED, Action.APPROVE
            review.decided_at, review.decided_by = timezone.now(), by
            review.save(update_fields=["state", "decision", "decided_at", "decided_by"])
        LogEntry.objects.create(
            moderator=by, action=Action.RESTORE, fan_id=item.author_id, **_log_item(item)
        )
        _content_event("content.restored", item, by, "")


def feature(*, by: User, post: Post, featured: bool = True) -> Post:
    """Feature a good post (its author earns the published points once) or stop featuring
    it (they are taken back). Only a visible post is featured; asking for what already is
    so changes nothing and records nothing."""
    if not can_feature(by, post.product):
        raise PermissionDenied(_("Only moderators and this product's engineers feature posts."))
    if featured and not post.is_visible:
        raise Conflict({"featured": _("Only posts everyone sees are featured.")})
    with transaction.atomic():
        locked, before = set_post_featured(post.pk, featured)
        if before != featured:
            LogEntry.objects.create(
                moderator=by,
                action=Action.FEATURE if featured else Action.UNFEATURE,
                fan_id=locked.author_id,
                post=locked,
            )
            record(
                "post.featured" if featured else "post.unfeatured",
                subject=locked,
                actor=by,
                author_id=locked.author_id,
                product_id=locked.product_id,
            )
    return locked


def _check_until(until: datetime | None) -> datetime:
    if until is None or until <= timezone.now():
        raise ValidationError({"until": _("Choose a moment in the future.")})
    return until


def _check_target(by: User, fan: User) -> None:
    if not can_sanction(by):
        raise PermissionDenied(_("Only moderators silence, suspend or block fans."))
    if fan.is_moderator:
        raise PermissionDenied(_("Moderators are not silenced or suspended here."))


def silence(
    *, by: User, fan: User, until: datetime, reason: str, hide_content: bool = False
) -> None:
    """Silence a fan until a moment: no posting, commenting, voting or flagging, with a
    reason they see, and their votes stop counting (the posts' counts drop at once). With
    `hide_content` ("decline and block") everything they wrote is hidden too."""
    _check_target(by, fan)
    _check_until(until)
    reason = _reason(reason)
    with transaction.atomic():
        _silence(by=by, fan=fan, until=until, reason=reason, logged=False)
        if hide_content:
            _hide_all(by, fan, reason)


def _silence(*, by: User, fan: User, until: datetime, reason: str, logged: bool) -> None:
    User.objects.filter(pk=fan.pk).update(silenced_until=until, silence_reason=reason)
    fan.silenced_until, fan.silence_reason = until, reason
    Silence.objects.create(fan=fan, until=until)
    recount_votes(post_ids=Vote.objects.filter(fan=fan).values_list("post_id", flat=True))
    if not logged:
        LogEntry.objects.create(
            moderator=by, action=Action.SILENCE, fan=fan, reason=reason, until=until
        )
    record("fan.silenced", subject=fan, actor=by, until=until.isoformat(), reason=reason)


def _hide_all(by: User, fan: User, reason: str) -> None:
    for post in Post.objects.visible().filter(author=fan):
        _set_visibility(post, Visibility.HIDDEN, reason)
        _content_event("content.hidden", post, by, reason)
    for comment in Comment.objects.visible().filter(author=fan):
        _set_visibility(comment, Visibility.HIDDEN, reason)
        _content_event("content.hidden", comment, by, reason, post_id=comment.post_id)
    LogEntry.objects.create(moderator=by, action=Action.BLOCK, fan=fan, reason=reason)


def lift_silence(*, by: User, fan: User) -> None:
    """End a fan's silence now; their votes count again."""
    _check_target(by, fan)
    with transaction.atomic():
        User.objects.filter(pk=fan.pk).update(silenced_until=None, silence_reason="")
        fan.silenced_until, fan.silence_reason = None, ""
        _count_votes_again(fan.pk)
        LogEntry.objects.create(moderator=by, action=Action.UNSILENCE, fan=fan)


def _count_votes_again(fan_id: int) -> None:
    recount_votes(post_ids=Vote.objects.filter(fan_id=fan_id).values_list("post_id", flat=True))
    Silence.objects.filter(fan_id=fan_id, votes_back_at__isnull=True).update(
        votes_back_at=timezone.now()
    )


def count_votes_after_silences() -> int:
    """The scheduler's step: fans whose silence ended count again (idempotent)."""
    now = timezone.now()
    ended = (
        Silence.objects.filter(votes_back_at__isnull=True, until__lte=now)
        .exclude(fan__silenced_until__gt=now)
        .values_list("fan_id", flat=True)
        .distinct()
    )
    fan_ids = list(ended)
    for fan_id in fan_ids:
        with transaction.atomic():
            _count_votes_again(fan_id)
    return len(fan_ids)


def suspend(*, by: User, fan: User, until: datetime, reason: str) -> None:
    """Suspend a fan until a moment: they cannot log in (their sessions and tokens stop
    working), and the log-in page tells them why and until when."""
    _check_target(by, fan)
    _check_until(until)
    reason = _reason(reason)
    with transaction.atomic():
        User.objects.filter(pk=fan.pk).update(suspended_until=until, suspension_reason=reason)
        fan.suspended_until, fan.suspension_reason = until, reason
        LogEntry.objects.create(
            moderator=by, action=Action.SUSPEND, fan=fan, reason=reason, until=until
        )
        record("fan.suspended", subject=fan, actor=by, until=until.isoformat(), reason=reason)


def lift_suspension(*, by: User, fan: User) -> None:
    _check_target(by, fan)
    with transaction.atomic():
        User.objects.filter(pk=fan.pk).update(suspended_until=None, suspension_reason="")
        fan.suspended_until, fan.suspension_reason = None, ""
        LogEntry.objects.create(moderator=by, action=Action.UNSUSPEND, fan=fan)


def _store_level(fan: User, level: int, actor: User | None) -> bool:
    old = User.objects.select_for_update().values_list("trust_level", flat=True).get(pk=fan.pk)
    if old == level:
        fan.trust_level = level
        return False
    User.objects.filter(pk=fan.pk).update(trust_level=level)
    fan.trust_level = level
    record("trust.level_changed", subject=fan, actor=actor, old=old, new=level)
    return True


def set_leader(*, by: User, fan: User, leader: bool) -> None:
    """Level 4 is granted (and taken back) by moderators; taken back, the fan's level is
    what their figures earn."""
    if not can_sanction(by):
        raise PermissionDenied(_("Only moderators make leaders."))
    with transaction.atomic():
        if leader:
            level = int(TrustLevel.LEADER)
        else:
            level = earned_level(stats_of(fan, now=timezone.now()), current=TrustLevel.MEMBER)
        if _store_level(fan, level, by):
            action = Action.GRANT_LEADER if leader else Action.REVOKE_LEADER
            LogEntry.objects.create(moderator=by, action=action, fan=fan)


def recompute_trust(fan: User, *, now: datetime | None = None) -> int:
    """Store the level the fan's figures earn now (trust.earned_level); returns it."""
    now = now or timezone.now()
    with transaction.atomic():
        level = earned_level(stats_of(fan, now=now), current=fan.trust_level)
        _store_level(fan, level, None)
    return level


def recompute_trust_levels() -> int:
    """The scheduler's round: the fans seen since yesterday, and every regular (who can
    lose the level by staying away); at most TRUST_ROUND of them a round."""
    now = timezone.now()
    yesterday = (now - timedelta(days=1)).date()
    seen = FanDay.objects.filter(day__gte=yesterday).values("fan_id")
    fans = User.objects.filter(is_active=True).exclude(trust_level=TrustLevel.LEADER)
    candidates = fans.filter(pk__in=seen) | fans.filter(trust_level=TrustLevel.REGULAR)
    count = 0
    for fan in candidates.order_by("pk")[:TRUST_ROUND]:
        recompute_trust(fan, now=now)
        count += 1
    return count
