"""Deployment hardening: the README's production settings pass `check --deploy` with no
warning, production refuses to start without SECRET_KEY, reset links are https:// behind
a TLS proxy, and the API docs load nothing from another site."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parents[3]

# The README's production settings ("Production").
PRODUCTION = {
    "SECRET_KEY": "a-long-random-value-shared-by-every-host-0123456789abcdefghijklmn",
    "ALLOWED_HOSTS": "fans.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://fans.example.com",
    "SITE_URL": "https://fans.example.com",
    "SECURE_COOKIES": "1",
    "HSTS_SECONDS": "31536000",
    "HSTS_INCLUDE_SUBDOMAINS": "1",
    "HSTS_PRELOAD": "1",
    "SSL_REDIRECT": "1",
    "PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def run(code: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    # Not this test run's own settings (the browser fixtures allow async-unsafe calls).
    ours = {*PRODUCTION, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, *code],
        cwd=ROOT,
        env={**clean, "ORANGEFRIDAY_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_production_settings_prints_no_warning(tmp_path):
    done = run(["manage.py", "check", "--deploy"], PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in done.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    without_key = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    refused = run(["-c", "import orangefriday.wsgi"], without_key, tmp_path)
    assert refused.returncode != 0
    assert "Set SECRET_KEY" in refused.stderr
    assert run(["-c", "import orangefriday.wsgi"], PRODUCTION, tmp_path).returncode == 0
    # `make run` (runserver) keeps working with no set-up: a key is made once in var/.
    assert run(["manage.py", "check"], {}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_reset_links_are_https_behind_a_tls_proxy(client, alice, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.post("/accounts/password-reset/", {"email": alice.email}, HTTP_X_FORWARDED_PROTO="https")
    link = re.search(r"(\w+)://\S+/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert link is not None and link.group(1) == "https", mail.outbox[0].body


@pytest.mark.django_db
def test_the_api_docs_load_swagger_from_our_own_static_files(client):
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/ninja/") for src in scripts)
    assert "cdn" not in html and "https://" not in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    for src in scripts:
        assert client.get(src).status_code == 200
