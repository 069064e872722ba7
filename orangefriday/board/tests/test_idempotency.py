"""Idempotency-Key on creating posts and comments: a call sent again with the same key gets
the first answer and creates nothing more, also when 50 copies arrive at once."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Comment, Post
from orangefriday.core.testing.concurrency import run_concurrently

POST = {"product": "sound-recorder", "title": "Mute calls while recording"}


def with_key(api, key: str):
    api.headers["Idempotency-Key"] = key
    return api


@pytest.mark.django_db
def test_the_same_key_returns_the_first_answer_and_creates_nothing_more(alice, recorder, api_as):
    api = with_key(api_as(alice), "4f1c9a70-retry")
    first = api.post("/posts", POST)
    again = api.post("/posts", POST)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1
    # A new key is a new post.
    assert with_key(api, "another").post("/posts", POST).status_code == 201
    assert Post.objects.count() == 2


@pytest.mark.django_db
def test_keys_belong_to_one_fan(alice, bob, recorder, api_as):
    with_key(api_as(alice), "k1").post("/posts", POST)
    assert with_key(api_as(bob), "k1").post("/posts", POST).status_code == 201
    assert Post.objects.filter(author=bob).count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_request_is_refused(alice, recorder, api_as):
    api = with_key(api_as(alice), "k1")
    api.post("/posts", POST)
    response = api.post("/posts", {**POST, "title": "Something else"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Post.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_call_keeps_nothing_and_the_key_can_be_sent_again(alice, recorder, api_as):
    api = with_key(api_as(alice), "k1")
    assert api.post("/posts", {**POST, "product": "nope"}).status_code == 422
    assert api.post("/posts", POST).status_code == 201


@pytest.mark.django_db
def test_after_24_hours_the_key_is_new_again(alice, recorder, api_as):
    api = with_key(api_as(alice), "k1")
    api.post("/posts", POST)
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert api.post("/posts", POST).status_code == 201
    assert Post.objects.count() == 2


@pytest.mark.django_db
def test_comments_take_the_key_too(alice, recorder, api_as):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    api = with_key(api_as(alice), "c1")
    first = api.post(f"/posts/{post.pk}/comments", {"body": "Please!"})
    assert api.post(f"/posts/{post.pk}/comments", {"body": "Please!"}).json() == first.json()
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_malformed_key_is_422(alice, recorder, api_as):
    response = with_key(api_as(alice), "x" * 256).post("/posts", POST)
    assert response.status_code == 422 and not Post.objects.exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_fifty_copies_at_once_create_one_post_and_all_get_its_answer(alice, recorder, api_as):
    token = api_as(alice).headers["Authorization"]
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def send() -> None:
        response = Client().post(
            "/api/v1/posts",
            POST,
            content_type="application/json",
            headers={"Authorization": token, "Idempotency-Key": "one-tap"},
        )
        with lock:
            answers.append((response.status_code, response.content))

    errors = run_concurrently([send] * 50, threads=25)
    assert errors == []
    assert Post.objects.count() == 1
    assert len(answers) == 50
    assert {answer for answer in answers} == {answers[0]} and answers[0][0] == 201
