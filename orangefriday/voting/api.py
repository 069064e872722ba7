from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from orangefriday.accounts.api import SIGNED_IN
from orangefriday.accounts.models import fan_of
from orangefriday.board.models import Post
from orangefriday.core.api import Id, InputSchema

from .actions import cast_vote, merge_posts, withdraw_vote

router = Router(tags=["votes"])


class VoteOut(Schema):
    post_id: Id
    voted: bool
    votes_count: int


@router.put("/posts/{post_id}/vote", response=VoteOut, auth=SIGNED_IN, summary="Vote (idempotent)")
def vote(request: HttpRequest, post_id: Id) -> VoteOut:
    post = cast_vote(fan=fan_of(request), post_id=post_id)
    return VoteOut(post_id=post.pk, voted=True, votes_count=post.votes_count)


@router.delete(
    "/posts/{post_id}/vote", response=VoteOut, auth=SIGNED_IN, summary="Withdraw your vote"
)
def withdraw(request: HttpRequest, post_id: Id) -> VoteOut:
    post = withdraw_vote(fan=fan_of(request), post_id=post_id)
    return VoteOut(post_id=post.pk, voted=False, votes_count=post.votes_count)


class MergeIn(InputSchema):
    original_id: Id = Field(description="The post this one duplicates")
    note: str = Field("", max_length=2000)


class MergeOut(Schema):
    duplicate_id: Id
    original_id: Id
    votes_moved: int
    original_votes_count: int


@router.post(
    "/posts/{post_id}/merge",
    response=MergeOut,
    auth=SIGNED_IN,
    summary="Merge this duplicate into its original (engineers and moderators)",
)
def merge(request: HttpRequest, post_id: Id, payload: MergeIn) -> MergeOut:
    duplicate = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    original = Post.objects.filter(pk=payload.original_id).first()
    if original is None:
        raise ValidationError(
            {
                "original_id": gettext("No post %(payload_original_id)s.")
                % {"payload_original_id": payload.original_id}
            }
        )
    done = merge_posts(
        by=fan_of(request), duplicate=duplicate, original=original, note=payload.note
    )
    original.refresh_from_db(fields=["votes_count"])
    return MergeOut(
        duplicate_id=duplicate.pk,
        original_id=original.pk,
        votes_moved=done.votes_moved,
        original_votes_count=original.votes_count,
    )
