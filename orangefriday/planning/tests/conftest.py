"""Planning personas: lee is maya's teammate on the Sound Recorder; Rockets is their team."""

import pytest
from django.db.models import F

from orangefriday.accounts.models import Role, User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product
from orangefriday.board.scoring import rescore
from orangefriday.conftest import make_fan
from orangefriday.planning.actions import create_team
from orangefriday.planning.models import Team


@pytest.fixture
def lee(db, recorder) -> User:
    """Maya's teammate, also an engineer of the Sound Recorder."""
    user = make_fan("lee", Role.ENGINEER)
    recorder.engineers.add(user)
    return user


@pytest.fixture
def rockets(maya, lee, recorder) -> Team:
    return create_team(by=maya, product=recorder, name="Rockets", members=[maya, lee])


READERS = 100


@pytest.fixture
def idea(alice, recorder):
    """Post ideas on the recorder board; `votes` sets the stored counts the plan ranks by,
    as if 100 fans had read each post and that many of them voted."""

    def post(title: str, votes: int = 0, product: Product | None = None) -> Post:
        made = create_post(author=alice, product=product or recorder, kind="idea", title=title)
        Post.objects.filter(pk=made.pk).update(
            votes_count=F("votes_count") + votes,
            weighted_votes=F("weighted_votes") + votes,
            readers_count=READERS,
            weighted_readers=READERS,
        )
        rescore([made.pk])
        made.refresh_from_db()
        return made

    return post
