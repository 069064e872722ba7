"""The only settings module. Everything that differs between machines comes from the environment.

Environment variables (all optional):
  SECRET_KEY          default: generated once and kept in var/secret_key
  DEBUG               "1"/"true" to turn on; off by default
  ALLOWED_HOSTS       comma-separated; default "127.0.0.1,localhost"
  CSRF_TRUSTED_ORIGINS comma-separated origins, e.g. "https://fans.example.com"
  DATABASE_URL        default: SQLite file var/orangefriday.sqlite3 (WAL, IMMEDIATE transactions)
  EMAIL_URL-like settings: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                      EMAIL_USE_TLS, DEFAULT_FROM_EMAIL; without EMAIL_HOST mail goes to the console
  EMAIL_TIMEOUT       seconds before an SMTP attempt fails and is retried; default 10
  OUTBOX_BATCH, OUTBOX_LEASE_SECONDS  emails leased per worker step (50) and for how long (120)
  SITE_URL            absolute base URL of links in emails and feeds; default
                      http://HOST:PORT (the address `make run` serves, 127.0.0.1:8000)
  BOARD_CACHE_SECONDS seconds the home and board pages are kept rendered in memory for
                      visitors without cookies, and the board as one copy for signed-in
                      fans with their own parts filled in (core/pagecache.py); default 0
  POST_IMAGES_MAX     images a post may carry (4); POST_IMAGE_MAX_SIDE the pixels each is
                      shrunk to fit, on its longer side (1600)
  DATABASE_POOL       PostgreSQL: connections in each process's pool (0, the default: no
                      pool, persistent connections); DATABASE_POOL_TIMEOUT seconds to wait
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from orangefriday.core.address import local_url
from orangefriday.core.redisurl import first_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ORANGEFRIDAY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key kept in var/ so that sessions survive restarts of `make run` without any set-up."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Links in emails and feeds. Unset, it is where `make run` serves: HOST and PORT, the same
# variables the Makefile hands to runserver, so `make run PORT=8123` links to :8123.
SITE_URL = (
    os.environ.get("SITE_URL")
    or local_url(os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000"))
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "orangefriday.core",
    "orangefriday.accounts",
    "orangefriday.board",
    "orangefriday.voting",
    "orangefriday.ranking",
    "orangefriday.planning",
    "orangefriday.releases",
    "orangefriday.feedback",
    "orangefriday.moderation",
    "orangefriday.insights",
    "orangefriday.reputation",
    "orangefriday.notifications",
    "orangefriday.sales",
    "orangefriday.demo",
    "orangefriday.bench",
    # Only for its static files: /api/v1/docs serves Swagger UI from them, not a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # After our apps, so that our registration/ templates win over the admin's.
    "django.contrib.admin",
]

# The session, CSRF, the session's fan and messages are only for pages (and API calls
# signed in by a session): an API call with a bearer token goes past them
# (core.middleware.page_only).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "orangefriday.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: an API caller over its limit costs one counter.
    "orangefriday.core.middleware.ApiRateLimitMiddleware",
    "orangefriday.core.middleware.RefuseNulMiddleware",
    "orangefriday.core.middleware.PageOnlySessionMiddleware",
    # The language of the page: the switcher's cookie, else the browser's Accept-Language;
    # a signed-in fan's own setting wins (FanPreferencesMiddleware, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's own, by name: `check --deploy` looks for it (the API's views are exempt and
    # check a session-signed write themselves, ninja's django_auth).
    "django.middleware.csrf.CsrfViewMiddleware",
    "orangefriday.core.middleware.PageOnlyAuthenticationMiddleware",
    "orangefriday.accounts.middleware.FanPreferencesMiddleware",
    # A write with a bearer token stamps its token when done (as ActedMiddleware a session).
    "orangefriday.accounts.middleware.TokenWriteMiddleware",
    # A signed-in fan's writes stamped in their session: their next board page is never
    # one kept from before (core/pagecache.py).
    "orangefriday.core.pagecache.ActedMiddleware",
    # The days a fan visits and about how long: what trust levels are earned by.
    "orangefriday.moderation.visits.VisitMiddleware",
    "orangefriday.core.middleware.PrivateNoStoreMiddleware",
    "orangefriday.core.middleware.PageOnlyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "orangefriday.urls"
# For runserver (`make run`) only; production runs gunicorn on orangefriday.wsgi, which
# refuses to start without SECRET_KEY.
WSGI_APPLICATION = "orangefriday.local_wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orangefriday.core.context_processors.header_panels",
                "orangefriday.core.pagecache.skeleton_context",
            ],
        },
    },
]


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "orangefriday.sqlite3",
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
        # timeout instead of failing with "database is locked" when they upgrade a read lock.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # A file, not memory, so that tests with threads and a live server share one database;
        # one per process, so that test runs side by side do not trample each other.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    pool = int(os.environ.get("DATABASE_POOL", "0"))
    if pool > 0 and config["ENGINE"] == "django.db.backends.postgresql":
        # A bounded psycopg pool per process (the production server: see README); Django
        # then opens and closes nothing per request, and persistent connections are off.
        config["CONN_MAX_AGE"] = 0
        # No round trip to test each connection as it leaves the pool: the pool drops a
        # connection that broke while in use, and a request costs one query less.
        config["CONN_HEALTH_CHECKS"] = False
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, pool),
            "max_size": pool,
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Every password log-in (the admin's too) goes through the lockout (accounts/lockout.py).
AUTHENTICATION_BACKENDS = ["orangefriday.accounts.backends.LockoutBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages of every page, email and message (README, "Languages"). The catalogue is
# locale/zh_Hans, compiled at install (`make messages` regenerates and compiles it).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Times are stored in UTC and shown in the viewer's zone: a fan's setting, else this one.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Finders let `runserver` and the tests serve static files without collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Behind a TLS proxy (README, "Production"): HSTS, the redirect to https, and which header
# says the visitor came over https (so that links in e-mails are https:// too).
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT")
# e.g. "X-Forwarded-Proto": the header the proxy sets to "https" (never trust one the proxy
# does not overwrite).
_PROXY_HEADER = os.environ.get("PROXY_SSL_HEADER", "").strip()
if _PROXY_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_HEADER.upper().replace("-", "_"), "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "orangefriday.board.error_pages.csrf_failure"
# Posts up to the API's own limits pass; anything far larger is cut off before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Bug logs (up to 5 MB each, board/logs.py): outside static and media, never served directly.
BUG_LOG_ROOT = Path(os.environ.get("BUG_LOG_ROOT", VAR_DIR / "bug_logs"))
# Fans' images (avatars, pictures in posts; core/images.py re-encodes each upload): sent by
# a view, never served from the directory.
IMAGE_ROOT = Path(os.environ.get("IMAGE_ROOT", VAR_DIR / "images"))
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
# The pictures a post may carry, and the side of the square each is shrunk to fit.
POST_IMAGES_MAX = env_int("POST_IMAGES_MAX", 4)
POST_IMAGE_MAX_SIDE = env_int("POST_IMAGE_MAX_SIDE", 1600)

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Orange Friday <noreply@localhost>")
# Seconds before a slow SMTP server counts as failed (the email is retried later).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# The outbox (see notifications.delivery): a worker leases OUTBOX_BATCH emails at a time for
# OUTBOX_LEASE_SECONDS; emails a killed worker leased are sent by another after that.
OUTBOX_BATCH = int(os.environ.get("OUTBOX_BATCH", "50"))
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))

# Background work: django-tasks with the database backend, run by `manage.py db_worker`;
# `manage.py run_scheduler` enqueues the periodic work (the Friday cut, the email outbox).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Events (core.events): the one dispatcher's lease, renewed at every step of its work (a
# killed dispatcher's work is taken up after it runs out), and how often a failing consumer
# is tried before it is set aside (visible in the admin as an event's handling).
EVENTS_LEASE_SECONDS = float(os.environ.get("EVENTS_LEASE_SECONDS", "60"))
EVENTS_MAX_ATTEMPTS = int(os.environ.get("EVENTS_MAX_ATTEMPTS", "5"))
# A big fan-out (a build's voters and followers) goes in short transactions of fans whose
# ids fall in one range of this width: on SQLite narrower, so that no vote waits long for
# its one write lock (see core.events._give_way).
FANOUT_CHUNK_FANS = int(
    os.environ.get(
        "FANOUT_CHUNK_FANS", "500" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "5000"
    )
)

# Reads are buffered in each process and written in batches (see board.reads).
READS_FLUSH_EVERY = int(os.environ.get("READS_FLUSH_EVERY", "50"))
READS_FLUSH_SECONDS = float(os.environ.get("READS_FLUSH_SECONDS", "5"))

# Seconds a visitor's (not logged-in, no API token) board page, home page or API list of
# posts may be served from this process's memory instead of rendered again; 0 (the default)
# renders every time. 1 in production (README, "Performance"): counts then show within a
# second.
BOARD_CACHE_SECONDS = int(os.environ.get("BOARD_CACHE_SECONDS", "0"))

# "Did this solve it?" (feedback.solved): a shipped post's voters answer yes or no, and may
# change their answer, for this many days after the build is published (the signed link in
# the build's email works as long). When at least SOLVED_REOPEN_MIN_ANSWERS answered and at
# least SOLVED_REOPEN_SHARE of them said no, the post goes back to `open`.
SOLVED_ANSWER_DAYS = int(os.environ.get("SOLVED_ANSWER_DAYS", "14"))
SOLVED_REOPEN_MIN_ANSWERS = int(os.environ.get("SOLVED_REOPEN_MIN_ANSWERS", "5"))
SOLVED_REOPEN_SHARE = float(os.environ.get("SOLVED_REOPEN_SHARE", "0.5"))

# Insights (orangefriday.insights): how many weeks the page shows, and how few readers make
# a post "not judged yet" in the share of the board's first page that went to such posts.
INSIGHTS_WEEKS = int(os.environ.get("INSIGHTS_WEEKS", "12"))
INSIGHTS_FEW_READERS = int(os.environ.get("INSIGHTS_FEW_READERS", "10"))

# Rate limits (core/limits.py; the README's "Limits" table lists each one). A value is one or
# more "N/period" joined by ";" ("5/minute;30/day"), or "off". Fans' limits are a member's;
# newer fans get a share of each (accounts/standing.py). Counters live in Redis when
# REDIS_URL (or CACHE_URL) names one, otherwise in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "")
RATE_LIMIT_KEY_PREFIX = os.environ.get("RATE_LIMIT_KEY_PREFIX", "orangefriday")


def redis_session_cache(url: str, prefix: str) -> dict[str, Any]:
    """The cache that sessions are read through in a shared Redis (core.rediscache)."""
    return {
        "BACKEND": "orangefriday.core.rediscache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"{prefix}:session",
    }


# Sessions live in the database. With a shared Redis (the one that keeps the rate-limit
# counters: REDIS_URL, or CACHE_URL) they are read through it (cached_db): a signed-in fan's
# page reads no session row. Never through a per-process
# cache: a session ended in one process (logged out) would live on in another's. What ends
# a fan's access otherwise is checked on the fan's row, read on each request (a password
# change, a suspension, an erased account: accounts.backends).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SESSION_CACHE_ALIAS = "sessions"
if SHARED_REDIS_URL := first_redis_url(REDIS_URL, CACHE_URL):
    CACHES[SESSION_CACHE_ALIAS] = redis_session_cache(SHARED_REDIS_URL, RATE_LIMIT_KEY_PREFIX)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
RATE_LIMITS = {
    "post": os.environ.get("LIMIT_POSTS", "30/day;5/minute"),
    "comment": os.environ.get("LIMIT_COMMENTS", "300/day;10/minute"),
    "vote": os.environ.get("LIMIT_VOTES", "600/hour;60/minute"),
    "report": os.environ.get("LIMIT_REPORTS", "30/day;10/minute"),
    "answer": os.environ.get("LIMIT_ANSWERS", "100/day;10/minute"),
    "token": os.environ.get("LIMIT_TOKENS", "10/day"),
    "preferences": os.environ.get("LIMIT_PREFERENCES", "60/hour"),
    # Display name and avatar: seen by every fan, so a silenced fan cannot change them.
    "profile": os.environ.get("LIMIT_PROFILE", "20/day;5/minute"),
    "edit": os.environ.get("LIMIT_EDITS", "60/day;5/minute"),
    "flag": os.environ.get("LIMIT_FLAGS", "30/day;5/minute"),
    "signup": os.environ.get("LIMIT_SIGNUPS_PER_IP", "5/hour"),
    "password_reset": os.environ.get("LIMIT_PASSWORD_RESETS", "3/hour"),
    "password_reset_ip": os.environ.get("LIMIT_PASSWORD_RESETS_PER_IP", "10/hour"),
    "verification_email": os.environ.get("LIMIT_VERIFICATION_EMAILS", "3/hour"),
    "email_change": os.environ.get("LIMIT_EMAIL_CHANGES", "3/hour"),
    "api_token": os.environ.get("LIMIT_API_PER_TOKEN", "300/minute"),
    "api_ip": os.environ.get("LIMIT_API_PER_IP", "300/minute"),
    # The beta-tester programme: quiz attempts, leaving, an engineer's quiz edits.
    "tester": os.environ.get("LIMIT_TESTER", "20/day;5/minute"),
    # Direct sales (orangefriday/sales): a fan retries a sold-out round a few times, a bot
    # hundreds of times.
    "reserve": os.environ.get("LIMIT_RESERVATIONS", "20/hour"),
    "buy": os.environ.get("LIMIT_BUYS", "30/minute;300/hour"),
    "buy_ip": os.environ.get("LIMIT_BUYS_PER_IP", "120/minute"),
    "fcode": os.environ.get("LIMIT_FCODE_REDEMPTIONS", "10/hour"),
    "address": os.environ.get("LIMIT_ADDRESSES", "10/day"),
}
# The share of each fan limit that a fan of trust level 0 (new) and 1 (basic) gets: 30
# posts a day make 3 and 12 (accounts/standing.py; the levels: moderation/trust.py).
LIMIT_SHARE_NEW = float(os.environ.get("LIMIT_SHARE_NEW", "0.1"))
LIMIT_SHARE_BASIC = float(os.environ.get("LIMIT_SHARE_BASIC", "0.4"))

# Trust levels (moderation/trust.py; README, "Moderation and trust"), modelled on
# Discourse's published defaults (its setting's name in brackets).
TRUST_BASIC_ACCOUNT_DAYS = env_int("TRUST_BASIC_ACCOUNT_DAYS", 1)  # (none: the old stand-in's)
TRUST_BASIC_POSTS_READ = env_int("TRUST_BASIC_POSTS_READ", 5)  # tl1_requires_topics_entered
TRUST_BASIC_READING_MINUTES = env_int("TRUST_BASIC_READING_MINUTES", 10)  # tl1_…time_spent_mins
TRUST_MEMBER_DAYS_VISITED = env_int("TRUST_MEMBER_DAYS_VISITED", 15)  # tl2_requires_days_visited
TRUST_MEMBER_POSTS_READ = env_int("TRUST_MEMBER_POSTS_READ", 20)  # tl2_requires_topics_entered
TRUST_MEMBER_READING_MINUTES = env_int("TRUST_MEMBER_READING_MINUTES", 60)  # tl2_…time_spent_mins
TRUST_MEMBER_VOTES_GIVEN = env_int("TRUST_MEMBER_VOTES_GIVEN", 1)  # tl2_requires_likes_given
TRUST_MEMBER_VOTES_RECEIVED = env_int("TRUST_MEMBER_VOTES_RECEIVED", 1)  # tl2_…likes_received
TRUST_MEMBER_REPLIES = env_int("TRUST_MEMBER_REPLIES", 3)  # tl2_requires_topic_reply_count
TRUST_MEMBER_REPLIES_RECEIVED = env_int("TRUST_MEMBER_REPLIES_RECEIVED", 1)  # (likes received)
TRUST_REGULAR_WINDOW_DAYS = env_int("TRUST_REGULAR_WINDOW_DAYS", 100)  # tl3_time_period
TRUST_REGULAR_DAYS_VISITED = env_int("TRUST_REGULAR_DAYS_VISITED", 50)  # tl3_…days_visited (50%)
TRUST_REGULAR_POSTS_READ_SHARE = float(os.environ.get("TRUST_REGULAR_POSTS_READ_SHARE", "0.25"))
TRUST_REGULAR_POSTS_READ_MAX = env_int("TRUST_REGULAR_POSTS_READ_MAX", 500)  # tl3_…topics_viewed
TRUST_REGULAR_REPLIES = env_int("TRUST_REGULAR_REPLIES", 10)  # tl3_requires_topics_replied_to
TRUST_REGULAR_VOTES_GIVEN = env_int("TRUST_REGULAR_VOTES_GIVEN", 30)  # tl3_requires_likes_given
TRUST_REGULAR_VOTES_RECEIVED = env_int("TRUST_REGULAR_VOTES_RECEIVED", 20)  # tl3_…likes_received
TRUST_REGULAR_MAX_FLAGS_UPHELD = env_int("TRUST_REGULAR_MAX_FLAGS_UPHELD", 5)  # tl3_…max_flagged
TRUST_REGULAR_SANCTION_DAYS = env_int("TRUST_REGULAR_SANCTION_DAYS", 180)  # (6 months, as there)
# A level-0 fan's first this-many posts wait for review when they carry links or images.
TRUST_HOLD_FIRST_POSTS = env_int("TRUST_HOLD_FIRST_POSTS", 3)  # (newuser_max_links: 0)
# A flag's weight by its flagger's level 0…4 (times their standing as a flagger), and the
# summed weight of pending flags that hides an item until a moderator decides.
MODERATION_FLAG_WEIGHTS = tuple(
    float(w) for w in os.environ.get("MODERATION_FLAG_WEIGHTS", "0.5,1,1.5,2,3").split(",")
)
MODERATION_HIDE_WEIGHT = float(os.environ.get("MODERATION_HIDE_WEIGHT", "3"))

# Seconds a person takes at least to fill in the sign-up or the post form; a script that
# sends it sooner (or fills the hidden honeypot field) is refused (core/bots.py).
FORM_MIN_FILL_SECONDS = float(os.environ.get("FORM_MIN_FILL_SECONDS", "3"))
# A new fan confirms their e-mail address before they post, comment or vote.
EMAIL_VERIFICATION = env_bool("EMAIL_VERIFICATION", True)
# Seconds a verification link stays good.
EMAIL_VERIFICATION_MAX_AGE = int(os.environ.get("EMAIL_VERIFICATION_MAX_AGE", str(3 * 86400)))
# Log-in lockout (accounts/lockout.py): this many wrong passwords for one account from one
# address lock that pair, and this many from one address (any accounts) lock the address,
# for LOGIN_LOCK_MINUTES, doubled for each further lock within a day.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "30"))
LOGIN_LOCK_MINUTES = float(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
# Behind this many reverse proxies, the fan's address is that many hops from the right of
# X-Forwarded-For; 0 (the default) trusts only the connection's own address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# A post's vote count crossing one of these records a `post.votes_reached` event (voting):
# the only vote that is an event, so the hottest write stays one short transaction.
VOTE_MILESTONES = [int(n) for n in env_list("VOTE_MILESTONES", "10,25,50,100,250,500,1000")]

# Reputation (reputation/rules.py; /about/points/ lists every value). Points a fan earns or
# loses for each reason; nothing a fan can do alone earns any.
REPUTATION_POINTS = {
    "votes_milestone": int(os.environ.get("POINTS_VOTES_MILESTONE", "5")),
    "idea_shipped": int(os.environ.get("POINTS_IDEA_SHIPPED", "50")),
    "popcorn_award": int(os.environ.get("POINTS_POPCORN_AWARD", "30")),
    "post_featured": int(os.environ.get("POINTS_POST_FEATURED", "20")),
    "known_issue": int(os.environ.get("POINTS_KNOWN_ISSUE", "15")),
    "flag_upheld": int(os.environ.get("POINTS_FLAG_UPHELD", "5")),
    "report_filed": int(os.environ.get("POINTS_REPORT_FILED", "5")),
    "solution_answered": int(os.environ.get("POINTS_SOLUTION_ANSWERED", "2")),
    "rating_given": int(os.environ.get("POINTS_RATING_GIVEN", "2")),
    "comment_removed": int(os.environ.get("POINTS_COMMENT_REMOVED", "-5")),
    "flag_rejected": int(os.environ.get("POINTS_FLAG_REJECTED", "-5")),
    "post_removed": int(os.environ.get("POINTS_POST_REMOVED", "-20")),
    "silenced": int(os.environ.get("POINTS_SILENCED", "-40")),
    "suspended": int(os.environ.get("POINTS_SUSPENDED", "-50")),
}
# The points at which each level begins (their names are in reputation/rules.py).
REPUTATION_LEVELS = [int(n) for n in env_list("REPUTATION_LEVELS", "0,20,100,300,800,2000")]

# The beta-tester programme (reputation/testers.py): each week, ending Sunday 24:00 product
# time, a tester files this many bug reports with a log and this many suggestions (ideas).
TESTER_BUGS_PER_WEEK = int(os.environ.get("TESTER_BUGS_PER_WEEK", "1"))
TESTER_SUGGESTIONS_PER_WEEK = int(os.environ.get("TESTER_SUGGESTIONS_PER_WEEK", "1"))
# A tester who joined less than this many days before a week's end starts with the next week.
TESTER_FIRST_WEEK_MIN_DAYS = int(os.environ.get("TESTER_FIRST_WEEK_MIN_DAYS", "3"))
# Lock-outs before applying again: removed for a missed week (or deductions), and left.
TESTER_REMOVED_LOCKOUT_DAYS = int(os.environ.get("TESTER_REMOVED_LOCKOUT_DAYS", "30"))
TESTER_LEFT_LOCKOUT_DAYS = int(os.environ.get("TESTER_LEFT_LOCKOUT_DAYS", "14"))
# Deductions from a tester's standing, and the total that removes a tester.
TESTER_DEDUCTIONS = {
    "comment_removed": int(os.environ.get("TESTER_DEDUCT_COMMENT_REMOVED", "5")),
    "flag_upheld_against": int(os.environ.get("TESTER_DEDUCT_FLAG_UPHELD", "10")),
    "post_removed": int(os.environ.get("TESTER_DEDUCT_POST_REMOVED", "20")),
    "silenced": int(os.environ.get("TESTER_DEDUCT_SILENCED", "40")),
    "suspended": int(os.environ.get("TESTER_DEDUCT_SUSPENDED", "50")),
}
TESTER_REMOVAL_DEDUCTIONS = int(os.environ.get("TESTER_REMOVAL_DEDUCTIONS", "50"))
# Quiz attempts a fan may make per product and day (product time).
TESTER_QUIZ_ATTEMPTS_PER_DAY = int(os.environ.get("TESTER_QUIZ_ATTEMPTS_PER_DAY", "3"))

# Honour roll: each product's founding fans (its first fans to take part) and each developer
# build's first testers (its first four-grid reports).
FOUNDING_FANS = int(os.environ.get("FOUNDING_FANS", "100"))
FIRST_TESTERS = int(os.environ.get("FIRST_TESTERS", "10"))
# Direct sales (orangefriday/sales, README "Direct sales").
# Minutes an order holds its unit for payment; a priority pass's hold is longer.
SALES_HOLD_MINUTES = int(os.environ.get("SALES_HOLD_MINUTES", "15"))
SALES_PRIORITY_PASS_HOLD_MINUTES = int(os.environ.get("SALES_PRIORITY_PASS_HOLD_MINUTES", "120"))
# Fans who reserved and went without a unit in this many rounds of a launch get a priority
# pass (an F-code with the longer hold) for its next round; 0 turns passes off.
SALES_PRIORITY_PASS_ROUNDS = int(os.environ.get("SALES_PRIORITY_PASS_ROUNDS", "2"))
# The part of each round's stock kept for F-codes.
SALES_FCODE_SHARE = float(os.environ.get("SALES_FCODE_SHARE", "0.1"))
# Reserved fans are told this many minutes before a round starts.
SALES_NOTICE_MINUTES = int(os.environ.get("SALES_NOTICE_MINUTES", "30"))
# Seconds a web process answers "sold out" from memory once a round's stock ran out.
SALES_SOLD_OUT_SECONDS = float(os.environ.get("SALES_SOLD_OUT_SECONDS", "1"))
# Seconds a web process remembers which fan a bearer token is, for the buy call.
SALES_TOKEN_CACHE_SECONDS = float(os.environ.get("SALES_TOKEN_CACHE_SECONDS", "30"))
# Contributions that earn an F-code for the product's next launch; what a referral earns.
SALES_FCODE_FOR_AWARD = env_bool("SALES_FCODE_FOR_AWARD", True)
SALES_FCODE_FOR_SHIPPED_IDEA = env_bool("SALES_FCODE_FOR_SHIPPED_IDEA", True)
SALES_REFERRAL_CREDIT = os.environ.get("SALES_REFERRAL_CREDIT", "fcode")
# Standing that earns an F-code for each launch (when it is created and when a round is
# announced): being one of the product's testers in good standing, and having at least
# SALES_FCODE_FOR_POINTS points on the product (the most points first, at most
# SALES_FCODE_FOR_POINTS_MAX fans a launch; 0 turns it off). One such code per fan a launch.
SALES_FCODE_FOR_TESTERS = env_bool("SALES_FCODE_FOR_TESTERS", True)
SALES_FCODE_FOR_POINTS = int(os.environ.get("SALES_FCODE_FOR_POINTS", "100"))
SALES_FCODE_FOR_POINTS_MAX = int(os.environ.get("SALES_FCODE_FOR_POINTS_MAX", "20"))
# The payment provider, and the built-in test provider's signing secret.
SALES_PAYMENT_PROVIDER = os.environ.get("SALES_PAYMENT_PROVIDER", "test")
SALES_TEST_PROVIDER_SECRET = os.environ.get(
    "SALES_TEST_PROVIDER_SECRET", f"test-provider:{SECRET_KEY}"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
