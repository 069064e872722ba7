"""What planning shows on the pages of earlier apps (core.panels): a post's claim."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.board.models import Post

from .models import Claim
from .permissions import can_plan_for


def post_claim(request: HttpRequest, posts: Sequence[Post]) -> dict[Any, dict[str, Any]]:
    """The claim on each post, with whether the viewer is in the claiming team."""
    claims = Claim.objects.filter(post__in=list(posts)).select_related("team", "engineer")
    return {
        claim.post_id: {"claim": claim, "in_team": can_plan_for(request.user, claim.team)}
        for claim in claims
    }
