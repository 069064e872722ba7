import pytest


@pytest.mark.django_db
def test_pages_forbid_inline_scripts_and_foreign_images(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "img-src 'self' data:" in policy
