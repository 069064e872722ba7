"""Must show 1: every operation of the OpenAPI document, called as each role, answers the
status this one table expects; an operation the table forgets fails the test.

Each call runs in a transaction that is rolled back, so every call meets the same world.
Roles: a visitor, a fan, a silenced fan, an engineer of another product, an engineer of
the product (Sound Recorder), a moderator. The world's posts and comments are alice's
(no role), so "your own post" rules answer 403 to every role here; their owner's success
is tested beside the actions.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from orangefriday.api import api
from orangefriday.board.actions import (
    ImageUpload,
    add_comment,
    attach_image,
    attach_log,
    create_post,
)
from orangefriday.conftest import ApiClient, make_fan
from orangefriday.core.testing import PASSWORD
from orangefriday.moderation.actions import flag_item, silence
from orangefriday.moderation.models import Review
from orangefriday.notifications.models import Notification
from orangefriday.planning.actions import claim_post, create_team
from orangefriday.releases.models import Build, Change
from orangefriday.reputation.testers import QuestionDraft, take_quiz, write_programme
from orangefriday.sales import buying, soldout
from orangefriday.sales.actions import (
    EditionSpec,
    add_address,
    buy,
    confirm_payment,
    create_launch,
    issue_fcodes,
    reserve,
)
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "fan", "silenced", "other_engineer", "engineer", "moderator")

U, F = 401, 403  # not signed in, not allowed

# "METHOD path": (anonymous, fan, silenced, other engineer, engineer, moderator)
EXPECTED: dict[str, tuple[int, int, int, int, int, int]] = {
    # accounts
    "GET /me": (U, 200, 200, 200, 200, 200),
    # What others see of a fan; a silenced fan changes none of it (removing nothing is no
    # change, so it answers as for anyone).
    "PATCH /me": (U, 200, F, 200, 200, 200),
    "POST /me/avatar": (U, 200, F, 200, 200, 200),
    "DELETE /me/avatar": (U, 200, 200, 200, 200, 200),
    "POST /me/email": (U, 202, 202, 202, 202, 202),
    "GET /me/data": (U, 200, 200, 200, 200, 200),
    "DELETE /me": (U, 204, 204, 204, 204, 204),
    # board
    "GET /products": (200, 200, 200, 200, 200, 200),
    "GET /posts": (200, 200, 200, 200, 200, 200),
    "POST /posts": (U, 201, F, 201, 201, 201),
    "GET /posts/{post_id}": (200, 200, 200, 200, 200, 200),
    "PATCH /posts/{post_id}": (U, F, F, F, F, F),
    "DELETE /posts/{post_id}": (U, F, F, F, F, F),
    "GET /posts/{post_id}/revisions": (200, 200, 200, 200, 200, 200),
    "GET /posts/{post_id}/comments": (200, 200, 200, 200, 200, 200),
    "POST /posts/{post_id}/comments": (U, 201, F, 201, 201, 201),
    "PATCH /comments/{comment_id}": (U, F, F, F, F, F),
    "DELETE /comments/{comment_id}": (U, F, F, F, F, F),
    "GET /comments/{comment_id}/revisions": (200, 200, 200, 200, 200, 200),
    "GET /posts/{post_id}/timeline": (200, 200, 200, 200, 200, 200),
    # Asked of the hidden post: who took part in it is as private as its comments.
    "GET /posts/{post_id}/participants": (404, 404, 404, 404, 200, 200),
    "POST /posts/{post_id}/status": (U, F, F, F, 201, F),
    "GET /products/{slug}/roadmap": (200, 200, 200, 200, 200, 200),
    "POST /posts/{post_id}/log": (U, F, F, F, F, F),
    "GET /posts/{post_id}/log": (U, F, F, F, 200, F),
    "POST /posts/{post_id}/images": (U, F, F, F, F, F),
    "DELETE /posts/{post_id}/images/{image_id}": (U, F, F, F, F, F),
    "PUT /posts/{post_id}/subscription": (U, 200, 200, 200, 200, 200),
    "DELETE /posts/{post_id}/subscription": (U, 200, 200, 200, 200, 200),
    "GET /me/subscriptions": (U, 200, 200, 200, 200, 200),
    # voting
    "PUT /posts/{post_id}/vote": (U, 200, F, 200, 200, 200),
    "DELETE /posts/{post_id}/vote": (U, 200, F, 200, 200, 200),
    "POST /posts/{post_id}/merge": (U, F, F, F, 200, 200),
    # notifications (the notification is the fan's own)
    "GET /notifications": (U, 200, 200, 200, 200, 200),
    "POST /notifications/read-all": (U, 200, 200, 200, 200, 200),
    "POST /notifications/{notification_id}/read": (U, 200, 404, 404, 404, 404),
    # Choosing what one hears of is not writing on the board: open to a silenced fan.
    "GET /me/notification-settings": (U, 200, 200, 200, 200, 200),
    "PUT /me/notification-settings": (U, 200, 200, 200, 200, 200),
    # releases
    "GET /products/{slug}/builds": (200, 200, 200, 200, 200, 200),
    "POST /products/{slug}/builds": (U, F, F, F, 201, F),
    "GET /builds/{build_id}": (200, 200, 200, 200, 200, 200),
    "PATCH /builds/{build_id}": (U, F, F, F, 200, F),
    # Publishing the published build again changes nothing; a developer build has no rollout
    # (the engineer may, the build's state refuses).
    "POST /builds/{build_id}/publish": (U, F, F, F, 200, F),
    "POST /builds/{build_id}/promote": (U, F, F, F, 200, F),
    "PUT /builds/{build_id}/rollout": (U, F, F, F, 422, F),
    "POST /builds/{build_id}/halt": (U, F, F, F, 422, F),
    "POST /builds/{build_id}/resume": (U, F, F, F, 422, F),
    "PATCH /changes/{change_id}": (U, F, F, F, 200, F),
    "GET /builds/{build_id}/known-issues": (200, 200, 200, 200, 200, 200),
    "PUT /builds/{build_id}/known-issues/{post_id}": (U, F, F, F, 200, F),
    "DELETE /builds/{build_id}/known-issues/{post_id}": (U, F, F, F, 204, F),
    "PUT /builds/{build_id}/installation": (U, 200, 200, 200, 200, 200),
    # feedback
    "PUT /builds/{build_id}/report": (U, 200, F, 200, 200, 200),
    "PUT /builds/{build_id}/rating": (U, 200, F, 200, 200, 200),
    "GET /builds/{build_id}/feedback": (200, 200, 200, 200, 200, 200),
    "GET /products/{slug}/awards": (200, 200, 200, 200, 200, 200),
    "GET /teams/{team_id}/awards": (200, 200, 200, 200, 200, 200),
    # Did this solve it? Only the shipped post's voters answer (the fan and the silenced
    # fan voted; the silenced one is refused like any write).
    "PUT /posts/{post_id}/solved": (U, 200, F, F, F, F),
    "GET /posts/{post_id}/solved": (200, 200, 200, 200, 200, 200),
    # planning
    "GET /products/{slug}/teams": (200, 200, 200, 200, 200, 200),
    "POST /products/{slug}/teams": (U, F, F, F, 201, F),
    "GET /teams/{team_id}": (200, 200, 200, 200, 200, 200),
    "PATCH /teams/{team_id}": (U, F, F, F, 200, F),
    "POST /teams/{team_id}/claims": (U, F, F, F, 201, F),
    "DELETE /claims/{claim_id}": (U, F, F, F, 204, F),
    "POST /posts/{post_id}/ship": (U, F, F, F, 200, F),
    "GET /products/{slug}/plan": (200, 200, 200, 200, 200, 200),
    # moderation
    "POST /posts/{post_id}/flags": (U, 201, F, 201, 201, 201),
    "POST /comments/{comment_id}/flags": (U, 201, F, 201, 201, 201),
    "GET /moderation/queue": (U, F, F, 200, 200, 200),
    "POST /moderation/reviews/{review_id}/decision": (U, F, F, F, 200, 200),
    "POST /posts/{post_id}/restore": (U, F, F, F, 200, 200),
    "POST /comments/{comment_id}/restore": (U, F, F, F, 200, 200),
    "PUT /posts/{post_id}/feature": (U, F, F, F, 200, 200),
    "DELETE /posts/{post_id}/feature": (U, F, F, F, 200, 200),
    "PUT /fans/{username}/silence": (U, F, F, F, F, 200),
    "DELETE /fans/{username}/silence": (U, F, F, F, F, 200),
    "PUT /fans/{username}/suspension": (U, F, F, F, F, 200),
    "DELETE /fans/{username}/suspension": (U, F, F, F, F, 200),
    "PUT /fans/{username}/leader": (U, F, F, F, F, 200),
    "DELETE /fans/{username}/leader": (U, F, F, F, F, 200),
    "GET /fans/{username}/trust": (200, 200, 200, 200, 200, 200),
    "GET /moderation/log": (U, F, F, F, F, 200),
    # insights (engineers get more figures, nobody is refused)
    "GET /products/{slug}/insights": (200, 200, 200, 200, 200, 200),
    # reputation
    "GET /reputation/rules": (200, 200, 200, 200, 200, 200),
    "GET /fans/{username}/reputation": (200, 200, 200, 200, 200, 200),
    "GET /products/{slug}/leaderboard": (200, 200, 200, 200, 200, 200),
    "GET /products/{slug}/founding-fans": (200, 200, 200, 200, 200, 200),
    "POST /products/{slug}/founding-fans": (U, F, F, F, 201, F),
    "GET /builds/{build_id}/first-testers": (200, 200, 200, 200, 200, 200),
    # the tester programme: the fan is a tester already (so may leave, and not apply
    # again); the others are not (so may apply, and have nothing to leave). Applying and
    # leaving are refused to a silenced fan like every write of theirs.
    "GET /products/{slug}/testers": (200, 200, 200, 200, 200, 200),
    "PUT /products/{slug}/testers": (U, F, F, F, 200, F),
    "POST /products/{slug}/testers/attempts": (U, 409, F, 201, 201, 201),
    "GET /products/{slug}/testers/me": (U, 200, 200, 200, 200, 200),
    "POST /products/{slug}/testers/me/leave": (U, 200, F, 409, 409, 409),
    # sales. Buying is not writing on the board: a silence does not stop it. The fan and
    # the silenced fan reserved; the fan holds an order (and an F-code) of round 1, where
    # another fan's paid order waits to be shipped; round 2 is open to the reserved.
    "GET /launches": (200, 200, 200, 200, 200, 200),
    "POST /launches": (U, F, F, F, 201, F),
    "GET /launches/{slug}": (200, 200, 200, 200, 200, 200),
    "PUT /launches/{slug}/reservation": (U, 200, 200, 200, 200, 200),
    "GET /me/addresses": (U, 200, 200, 200, 200, 200),
    "POST /me/addresses": (U, 201, 201, 201, 201, 201),
    "POST /rounds/{round_id}/buy": (U, 201, 201, F, F, F),
    "GET /me/orders": (U, 200, 200, 200, 200, 200),
    "GET /orders/{order_id}": (U, 200, F, F, 200, F),
    "POST /orders/{order_id}/pay": (U, 200, F, F, F, F),  # the buyer's act alone
    "POST /orders/{order_id}/cancel": (U, 200, F, F, 200, F),
    "POST /orders/{order_id}/ship": (U, F, F, F, 200, F),
    "GET /me/fcodes": (U, 200, 200, 200, 200, 200),
    # Someone else's F-code is not found, not forbidden: its existence is the holder's.
    "POST /fcodes/{fcode_id}/gift": (U, 200, 404, 404, 404, 404),
    "POST /launches/{slug}/fcodes": (U, F, F, F, 201, F),
    "GET /rounds/{round_id}/results": (U, F, F, F, 200, F),
}

SOON = (timezone.now() + timedelta(days=3)).isoformat()
LATER = (timezone.now() + timedelta(days=5)).isoformat()

QUIZ = [QuestionDraft("Where does a bug's log go?", [("On the bug report", True), ("Mail", False)])]


def bodies(w: dict, role: str) -> dict[str, object]:
    """A valid body for each operation that takes one, so that the answer is about who
    calls, not about what they sent (the role's own delivery address, for one)."""
    return {
        "PATCH /me": {"display_name": "Night owl"},
        "POST /me/email": {"email": "new@example.org", "password": PASSWORD},
        "DELETE /me": {"password": PASSWORD, "content": "keep"},
        "POST /posts": {"product": "sound-recorder", "title": "Louder playback"},
        "PATCH /posts/{post_id}": {"kind": "idea", "title": "Edited title"},
        "POST /posts/{post_id}/comments": {"body": "Me too"},
        "PATCH /comments/{comment_id}": {"body": "Edited"},
        "POST /posts/{post_id}/status": {"status": "planned"},
        "POST /posts/{post_id}/merge": {"original_id": w["original"].pk},
        "POST /products/{slug}/builds": {},
        "PATCH /builds/{build_id}": {"intro": "A calmer week"},
        "PUT /builds/{build_id}/rollout": {"percent": 10},
        "PATCH /changes/{change_id}": {"text": "Mute while recording"},
        "PUT /builds/{build_id}/report": {
            "mood": "happy",
            "loved": w["params"]["change_id"],
            "least_effective": w["other_change"].pk,
            "wanted_post": w["unclaimed"].pk,
        },
        "PUT /builds/{build_id}/rating": {"stability": 8},
        "POST /products/{slug}/teams": {"name": "Night owls", "members": ["maya", "mia"]},
        "PATCH /teams/{team_id}": {"weekly_capacity": 4},
        "POST /teams/{team_id}/claims": {"post_id": w["unclaimed"].pk},
        "POST /posts/{post_id}/ship": {},
        "POST /posts/{post_id}/flags": {"reason": "spam"},
        "POST /comments/{comment_id}/flags": {"reason": "abusive"},
        "POST /moderation/reviews/{review_id}/decision": {"decision": "hide", "reason": "spam"},
        "PUT /fans/{username}/silence": {"until": SOON, "reason": "spam"},
        "PUT /fans/{username}/suspension": {"until": SOON, "reason": "spam"},
        "PUT /me/notification-settings": {"digest": "daily"},
        "PUT /posts/{post_id}/solved": {"solved": True, "comment": "Works"},
        "POST /products/{slug}/founding-fans": {"username": "carol"},
        "PUT /products/{slug}/testers": {"places": 10, "pass_mark": 100},
        "POST /products/{slug}/testers/attempts": {"answers": w["right_answers"]},
        "POST /launches": {
            "product": "sound-recorder",
            "slug": "recorder-mini",
            "name": "Sound Recorder Mini",
            "reservations_open_at": SOON,
            "reservations_close_at": LATER,
            "editions": [{"name": "Orange", "price": "99.00", "stock_per_round": 10}],
            "rounds": [LATER],
        },
        "POST /me/addresses": {
            "name": "Bob",
            "line1": "2 Orange Road",
            "city": "Beijing",
            "postcode": "100000",
        },
        "POST /rounds/{round_id}/buy": {
            "edition": w["edition"].pk,
            "address": w["addresses"].get(role, w["addresses"]["fan"]).pk,
        },
        "POST /fcodes/{fcode_id}/gift": {"to": "carol"},
        "POST /launches/{slug}/fcodes": {"count": 1},
    }


@pytest.fixture
def world(alice, maya, mo, recorder, camera):
    mia = make_fan("mia", "engineer")
    recorder.engineers.add(mia)
    otto = make_fan("otto", "engineer")
    camera.engineers.add(otto)
    bob, carol = make_fan("bob"), make_fan("carol")
    sid = make_fan("sid")
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    original = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    unclaimed = create_post(author=alice, product=recorder, kind="idea", title="Cloud backup")
    hidden = create_post(author=alice, product=recorder, kind="idea", title="Buy followers")
    bug = create_post(author=alice, product=recorder, kind="bug", title="Recording stops")
    attach_log(by=alice, post=bug, log=SimpleUploadedFile("log.txt", b"trace"))
    image = attach_image(by=alice, post=post, image=ImageUpload(file=png()))
    comment = add_comment(author=alice, post=post, body="Interviews need it")
    # Both vote for `original` too, which the published build ships: "did this solve it?"
    # is asked of its voters.
    for fan in (bob, sid):
        cast_vote(fan=fan, post_id=post.pk)
        cast_vote(fan=fan, post_id=original.pk)
    silence(by=mo, fan=sid, until=timezone.now() + timedelta(days=7), reason="spam")
    flag_item(flagger=carol, post=post, reason="off_topic")
    review = Review.objects.get(post=post)
    flag_item(flagger=carol, post=hidden, comment=None, reason="spam")
    from orangefriday.moderation.actions import decide

    decide(by=mo, review=Review.objects.get(post=hidden), decision="hide", reason="spam")
    hidden_comment = add_comment(author=alice, post=original, body="Buy now")
    flag_item(flagger=carol, post=original, comment=hidden_comment, reason="spam")
    decide(
        by=mo,
        review=Review.objects.get(comment=hidden_comment),
        decision="hide",
        reason="spam",
    )
    build = Build.objects.create(
        product=recorder,
        channel="developer",
        version="26.11.27",
        version_date=timezone.now().date(),
        published_at=timezone.now(),
    )
    change = Change.objects.create(build=build, post=original, kind="new", text="Mute", position=0)
    other_change = Change.objects.create(build=build, kind="fixed", text="Faster", position=1)
    from orangefriday.releases.models import KnownIssue

    KnownIssue.objects.create(build=build, post=bug, marked_by=maya)
    team = create_team(by=maya, product=recorder, name="Early birds", members=[maya, mia])
    claimed = create_post(author=alice, product=recorder, kind="idea", title="Bigger button")
    claim = claim_post(by=maya, team=team, post=claimed)
    notification = Notification.objects.create(fan=bob, kind="status", message="hi", url="/")
    users = {"fan": bob, "silenced": sid, "other_engineer": otto, "engineer": maya, "moderator": mo}
    programme = write_programme(by=maya, product=recorder, places=10, pass_mark=100, questions=QUIZ)
    right = {q.pk: q.choices.get(correct=True).pk for q in programme.questions.all()}
    take_quiz(fan=bob, product=recorder, answers=right)
    sales = sales_world(maya, recorder, users, carol)
    clients = {role: ApiClient(user) for role, user in users.items()}
    clients["anonymous"] = ApiClient(None)
    return {
        "clients": clients,
        "original": original,
        "unclaimed": unclaimed,
        "other_change": other_change,
        "right_answers": [{"question": q, "choice": c} for q, c in right.items()],
        "edition": sales["edition"],
        "addresses": sales["addresses"],
        "params": {
            "post_id": post.pk,
            "comment_id": comment.pk,
            "slug": recorder.slug,
            "build_id": build.pk,
            "change_id": change.pk,
            "team_id": team.pk,
            "claim_id": claim.pk,
            "notification_id": notification.pk,
            "image_id": image.pk,
            "review_id": review.pk,
            "username": "alice",
            "round_id": sales["rounds"][0].pk,
            "order_id": sales["order"].pk,
            "fcode_id": sales["fcode"].pk,
        },
        # Operations on something other than the world's usual post or comment.
        "overrides": {
            "POST /posts/{post_id}/log": {"post_id": bug.pk},
            "GET /posts/{post_id}/log": {"post_id": bug.pk},
            "PUT /builds/{build_id}/known-issues/{post_id}": {"post_id": bug.pk},
            "DELETE /builds/{build_id}/known-issues/{post_id}": {"post_id": bug.pk},
            "POST /posts/{post_id}/ship": {"post_id": claimed.pk},
            "POST /posts/{post_id}/restore": {"post_id": hidden.pk},
            "POST /comments/{comment_id}/restore": {"comment_id": hidden_comment.pk},
            "GET /posts/{post_id}/participants": {"post_id": hidden.pk},
            "PUT /posts/{post_id}/solved": {"post_id": original.pk},
            "GET /posts/{post_id}/solved": {"post_id": original.pk},
            "POST /rounds/{round_id}/buy": {"round_id": sales["rounds"][1].pk},
            "POST /orders/{order_id}/ship": {"order_id": sales["paid_order"].pk},
            # A launch's slug, not the product's.
            "GET /launches/{slug}": {"slug": sales["launch"].slug},
            "PUT /launches/{slug}/reservation": {"slug": sales["launch"].slug},
            "POST /launches/{slug}/fcodes": {"slug": sales["launch"].slug},
        },
    }


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 105, 0)).save(buffer, "PNG")
    return SimpleUploadedFile("shot.png", buffer.getvalue())


def sales_world(maya, recorder, users: dict, carol) -> dict:
    """A launch open for reservations whose rounds 1 and 2 have started; the fan and the
    silenced fan reserved, every role has a delivery address; the fan holds an order of
    round 1 and an F-code, carol paid for hers."""
    soldout.forget()  # the rounds and sold-out flags a process remembers
    buying.forget_tokens()
    now = timezone.now()
    launch = create_launch(
        by=maya,
        product=recorder,
        slug="recorder-pro",
        name="Sound Recorder Pro",
        reservations_open_at=now - timedelta(hours=1),
        reservations_close_at=now + timedelta(hours=1),
        editions=[EditionSpec("Orange", Decimal("1999.00"), 10)],
        rounds=[now - timedelta(minutes=50), now - timedelta(minutes=20)],
    )
    rounds = list(launch.rounds.order_by("number"))
    edition = launch.editions.get()
    addresses = {
        role: add_address(
            fan=user, name=user.username, line1=f"{role} road 1", city="Beijing", postcode="1"
        )
        for role, user in {**users, "carol": carol}.items()
    }
    for role in ("fan", "silenced", "carol"):
        reserve(fan=addresses[role].fan, launch=launch)

    def bought(role: str):
        return buy(
            fan=addresses[role].fan,
            round_id=rounds[0].pk,
            edition_id=edition.pk,
            address_id=addresses[role].pk,
            ip="127.0.0.1",
        )

    order = bought("fan")
    paid = bought("carol")
    confirm_payment(
        order_id=paid.pk, provider="test", reference="t-1", amount=paid.price, currency="CNY"
    )
    (fcode,) = issue_fcodes(by=maya, launch=launch, holder=users["fan"])
    return {
        "launch": launch,
        "rounds": rounds,
        "edition": edition,
        "addresses": addresses,
        "order": order,
        "paid_order": paid,
        "fcode": fcode,
    }


def operations() -> list[str]:
    schema = api.get_openapi_schema()
    return [
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, methods in schema["paths"].items()
        for method in methods
    ]


def test_the_table_names_every_operation_of_the_openapi_document():
    assert sorted(operations()) == sorted(EXPECTED)


def call(client: ApiClient, operation: str, params: dict, body: object):
    method, path = operation.split(" ", 1)
    url = path.format(**params)
    if operation == "POST /posts/{post_id}/log":
        upload = SimpleUploadedFile("log.txt", b"trace")
        return client.client.post("/api/v1" + url, {"log": upload}, headers=client.headers)
    if operation == "POST /posts/{post_id}/images":
        data = {"image": png(), "alt": "A screenshot"}
        return client.client.post("/api/v1" + url, data, headers=client.headers)
    if operation == "POST /me/avatar":
        return client.client.post("/api/v1" + url, {"avatar": png()}, headers=client.headers)
    return client.request(method, url, body)


def test_each_role_gets_the_status_the_table_expects(world):
    known_bodies = {role: bodies(world, role) for role in ROLES}
    wrong = []
    for operation in (found for found in operations() if found in EXPECTED):
        params = {**world["params"], **world["overrides"].get(operation, {})}
        for role, expected in zip(ROLES, EXPECTED[operation], strict=True):
            with transaction.atomic():
                response = call(
                    world["clients"][role], operation, params, known_bodies[role].get(operation)
                )
                transaction.set_rollback(True)
            if response.status_code != expected:
                wrong.append(f"{operation} as {role}: {response.status_code}, not {expected}")
    assert not wrong, "\n".join(wrong)
