"""Moderation's consumers (core.events): a held post enters the queue, and trust levels are
recomputed for the one or two fans an event concerns, when it can change their level: a
comment (its author wrote one, the post's author received one), a post's vote milestone
(its author received votes), a flag upheld against a fan, a silence or a suspension (a
regular loses the level).

Each costs a query or two, and a fan's dozen counts (trust.stats_of) only when the level
could change (trust.could_climb). Votes are not events (only milestones are), and visits
and reads are noted in memory: those are counted by the scheduler's round
(actions.recompute_trust_levels, every ten minutes), as is a regular's level lost by
staying away."""

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.models import Post, Visibility
from orangefriday.core.events import consumer
from orangefriday.core.models import Event

from .actions import hold_for_review, recompute_trust
from .trust import could_climb

# What each event gives the fans it concerns, as the names of trust.Stats' figures.
Figures = tuple[str, ...]
WROTE_A_COMMENT: Figures = ("replies", "recent_replies")
RECEIVED_A_REPLY: Figures = ("replies_received",)
RECEIVED_VOTES: Figures = ("votes_received", "recent_votes_received")


@consumer("post.created", "post.edited", name="moderation.queue_held_posts")
def queue_held_post(event: Event) -> None:
    # post.created says whether it was held; an edit may have held it too.
    if event.kind == "post.created" and event.payload.get("visibility") != Visibility.HELD:
        return
    post = Post.objects.filter(pk=event.subject_id, visibility=Visibility.HELD).first()
    if post is not None:
        hold_for_review(post)


@consumer("flag.upheld", name="moderation.trust_on_upheld_flag")
def on_upheld_flag(event: Event) -> None:
    author = User.objects.filter(pk=event.payload["author_id"]).first()
    if author is not None:
        recompute_trust(author)


def _post_author_id(post_id: int) -> int | None:
    return Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()


@consumer("comment.added", "post.votes_reached", name="moderation.trust_on_taking_part")
def on_taking_part(event: Event) -> None:
    if event.kind == "comment.added":
        post_author = _post_author_id(event.payload["post_id"])
        gains: dict[int | None, Figures] = {event.actor_id: WROTE_A_COMMENT}
        if post_author != event.actor_id:  # one's own comment is no reply received
            gains[post_author] = RECEIVED_A_REPLY
    else:
        gains = {_post_author_id(event.subject_id): RECEIVED_VOTES}
    for fan in User.objects.filter(pk__in=[pk for pk in gains if pk is not None], is_active=True):
        if could_climb(fan.trust_level, gains[fan.pk]):
            recompute_trust(fan)


@consumer("fan.silenced", "fan.suspended", name="moderation.trust_on_sanction")
def on_sanction(event: Event) -> None:
    # Only a regular's level asks for a clean record; basic and member are kept.
    fan = User.objects.filter(pk=event.subject_id, trust_level=TrustLevel.REGULAR).first()
    if fan is not None:
        recompute_trust(fan)
