"""The one settings module. Every deployment choice is an environment variable.

DATABASE_URL   database (default: SQLite file under var/)
SECRET_KEY     signing key (default: generated once into var/secret_key)
DEBUG          1 to show debug pages (default: off)
ALLOWED_HOSTS  comma-separated host names (default: localhost, 127.0.0.1)
EMAIL_URL      smtp://user:pass@host:port, console://, memory:// ... (default: console://)
SITE_URL       the address people use, for links in e-mail (default http://127.0.0.1:PORT, the
  address `premierdesk serve` / `up` listen on; PORT defaults to 8000)
SECURE_COOKIES 1 behind HTTPS: secure cookies, HTTP redirected to HTTPS, HSTS for a year
  (SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS and
  SECURE_HSTS_PRELOAD override each part)
SECURE_PROXY_SSL_HEADER  the header a TLS-ending proxy sets, e.g. X-Forwarded-Proto (value https)
DATABASE_PREPARE_THRESHOLD  PostgreSQL: a statement a connection runs this many times is
  prepared, planned once (default 2); off behind a pooler that cannot keep prepared statements
PREMIERDESK_VAR_DIR  where local state lives (default: ./var)
PREMIERDESK_LOG_FILE  write log messages to this file and only warnings and errors to the
  terminal (`premierdesk up` sets it for each process to a file under var/log/)
LOG_LEVEL      the least important log messages kept (default: INFO)
ATTACHMENT_MAX_BYTES  largest ticket attachment accepted, in bytes (default: 2 GiB)
TRUSTED_PROXIES  comma-separated addresses of the reverse proxies in front of the server, whose
  X-Forwarded-For is believed for the client's address (default: none; REMOTE_ADDR is the client)
ATTACHMENTS_STORAGE  where attachments are kept: local (default, under var/attachments) or s3
  With s3 (needs the extra: pip install 'premierdesk[s3]'), any S3-compatible store:
  ATTACHMENTS_S3_BUCKET (required), ATTACHMENTS_S3_ENDPOINT_URL (MinIO, Ceph, R2 ...),
  ATTACHMENTS_S3_REGION, ATTACHMENTS_S3_PREFIX (key prefix inside the bucket),
  ATTACHMENTS_S3_ACCESS_KEY_ID and ATTACHMENTS_S3_SECRET_ACCESS_KEY (default: boto3's usual
  chain: AWS_* variables, ~/.aws, instance or pod role). Objects are private; downloads go
  through the application's permission checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext

from premierdesk.lib.config import (
    ConfigError,
    email_settings,
    env_bool,
    env_list,
    listening_site_url,
    postgres_options,
    secret_key_from,
)

# Lets generic classes such as ModelAdmin[Product] be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
ENV = dict(os.environ)
VAR_DIR = Path(ENV.get("PREMIERDESK_VAR_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = secret_key_from(ENV, VAR_DIR)
DEBUG = env_bool(ENV, "DEBUG", default=False)
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before django.contrib.auth: its changepassword command replaces Django's, which would
    # set a password without ending the account's sessions and API tokens.
    "premierdesk.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # so the API docs page serves Swagger UI from the package, not a CDN
    "django_tasks",
    "django_tasks_db",
    "premierdesk.lib",
    "premierdesk.pages",
    "premierdesk.audit",
    "premierdesk.jobs",
    "premierdesk.calendars",
    "premierdesk.catalog",
    "premierdesk.customers",
    "premierdesk.notifications",
    "premierdesk.tickets",
    "premierdesk.sla",
    "premierdesk.offices",
    "premierdesk.spaces",
    "premierdesk.services",
    "premierdesk.escalations",
    "premierdesk.feedback",
    "premierdesk.reports",
    "premierdesk.web",
    "premierdesk.demo",
    "premierdesk.benchdata",
    "premierdesk.loadtest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "premierdesk.pages.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "premierdesk.pages.middleware.RequestInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "premierdesk.pages.expiry.SignInAgainMiddleware",
    "premierdesk.pages.middleware.UserTimeZoneMiddleware",
    "premierdesk.pages.middleware.OneReadingMiddleware",
    "premierdesk.pages.middleware.ActionErrorMiddleware",
]

ROOT_URLCONF = "premierdesk.urls"
WSGI_APPLICATION = "premierdesk.wsgi.application"

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
                "premierdesk.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        ENV.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'premierdesk.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on the busy timeout (20 s) instead of failing
    # mid-way. synchronous=NORMAL in WAL: a commit survives the process crashing, and the
    # last commits may be lost if the machine loses power (docs/performance.md). Connections
    # are kept (CONN_MAX_AGE above), so a request does not open the file and run these again.
    # Writers wait in line on a lock file rather than on SQLite's sleeping retries
    # (premierdesk/lib/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "premierdesk.lib.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # PostgreSQL binds the parameters itself and a statement is prepared at its second use,
    # so a query a connection runs again is planned once, not every time: the open queue's
    # seven-table page took 6 to 12 ms to plan and 0.5 ms to run (docs/performance.md).
    # Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
    # before 1.21), set DATABASE_PREPARE_THRESHOLD=off.
    DATABASES["default"].setdefault("OPTIONS", {}).update(postgres_options(ENV))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["premierdesk.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sign-in lock-out (policy): this many failures inside the window lock the address for
# the lock-out period.
SIGN_IN_MAX_FAILURES = int(ENV.get("SIGN_IN_MAX_FAILURES", "5"))
SIGN_IN_FAILURE_WINDOW_SECONDS = int(ENV.get("SIGN_IN_FAILURE_WINDOW_SECONDS", "900"))
SIGN_IN_LOCKOUT_SECONDS = int(ENV.get("SIGN_IN_LOCKOUT_SECONDS", "900"))
# And per client (policy): this many failures from one client inside its window, whatever
# addresses were tried, refuse that client for its lock-out period. People behind one office
# address share it, hence the higher number. The client is REMOTE_ADDR (an IPv6 client is its
# /64 network); behind a reverse proxy every request comes from the proxy, so the deployment
# must either hand the real address to the server as REMOTE_ADDR or list the proxy in
# TRUSTED_PROXIES, whose X-Forwarded-For is then read (right to left, skipping the proxies).
SIGN_IN_CLIENT_MAX_FAILURES = int(ENV.get("SIGN_IN_CLIENT_MAX_FAILURES", "20"))
SIGN_IN_CLIENT_WINDOW_SECONDS = int(ENV.get("SIGN_IN_CLIENT_WINDOW_SECONDS", "900"))
SIGN_IN_CLIENT_LOCKOUT_SECONDS = int(ENV.get("SIGN_IN_CLIENT_LOCKOUT_SECONDS", "900"))
TRUSTED_PROXIES = env_list(ENV, "TRUSTED_PROXIES", [])
# Failures for addresses without an account are counted in this many buckets (a keyed hash of
# the address picks one), so typed strings cannot grow the throttle table.
SIGN_IN_UNKNOWN_ADDRESS_BUCKETS = int(ENV.get("SIGN_IN_UNKNOWN_ADDRESS_BUCKETS", "65536"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool(ENV, "SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind HTTPS (SECURE_COOKIES=1) plain HTTP is redirected and browsers are told, for a year,
# to use HTTPS only (HSTS). /health stays reachable over HTTP for load balancers.
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^health$"]
_hsts_default = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS") or _hsts_default)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", default=True)
# Behind a reverse proxy that ends TLS: the header it sets, e.g. X-Forwarded-Proto, whose value
# "https" means the original request was HTTPS. Only set it when the proxy always sets (or
# overwrites) that header, or anyone could claim HTTPS.
if ENV.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header = ENV["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_header.removeprefix('HTTP_')}", "https")
# A refused CSRF check is one of our pages, saying what happened; typed text is kept.
CSRF_FAILURE_VIEW = "premierdesk.pages.expiry.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only needed for `premierdesk collectstatic` behind another web server; WhiteNoise serves
# static files from the installed apps directly.
STATIC_ROOT = ENV.get("STATIC_ROOT") or None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the installed apps: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

_email = email_settings(ENV.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Premier Support <premier-support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach this installation; links in e-mail start with it. Unless set, the address
# `premierdesk serve` / `up` listen on (HOST, PORT; they also follow --host and --port).
SITE_URL_FROM_ENVIRONMENT = bool(ENV.get("SITE_URL"))
SITE_URL = (ENV.get("SITE_URL") or listening_site_url(ENV.get("HOST"), ENV.get("PORT"))).rstrip("/")
# The right-hand side of every Message-ID this installation sends.
MESSAGE_ID_DOMAIN = ENV.get("MESSAGE_ID_DOMAIN") or (urlsplit(SITE_URL).hostname or "localhost")

# Ticket attachments: support archives of hundreds of MB, streamed to their own storage
# (premierdesk.tickets.storage), never to MEDIA, and only served through permission checks.
ATTACHMENT_MAX_BYTES = int(ENV.get("ATTACHMENT_MAX_BYTES") or 2 * 1024**3)
_attachments_storage = ENV.get("ATTACHMENTS_STORAGE") or "local"
if _attachments_storage == "local":
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Customers' logs and heap dumps: readable by the service's own user and group only.
        "OPTIONS": {
            "location": str(VAR_DIR / "attachments"),
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
elif _attachments_storage == "s3":
    if not ENV.get("ATTACHMENTS_S3_BUCKET"):
        raise ConfigError("ATTACHMENTS_STORAGE=s3 needs ATTACHMENTS_S3_BUCKET, the bucket name.")
    _s3_options = {
        "bucket_name": ENV["ATTACHMENTS_S3_BUCKET"],
        "endpoint_url": ENV.get("ATTACHMENTS_S3_ENDPOINT_URL"),
        "region_name": ENV.get("ATTACHMENTS_S3_REGION"),
        "location": ENV.get("ATTACHMENTS_S3_PREFIX"),
        "access_key": ENV.get("ATTACHMENTS_S3_ACCESS_KEY_ID"),
        "secret_key": ENV.get("ATTACHMENTS_S3_SECRET_ACCESS_KEY"),
    }
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **{key: value for key, value in _s3_options.items() if value},
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    raise ConfigError(f"ATTACHMENTS_STORAGE={_attachments_storage!r} is unknown; use local or s3.")

TASKS = {
    "default": {
        "BACKEND": ENV.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOG_FILE = ENV.get("PREMIERDESK_LOG_FILE", "")
_log_handlers: dict[str, dict[str, object]] = {
    "console": {"class": "logging.StreamHandler", "formatter": "plain"}
}
if LOG_FILE:
    # Routine messages go to the file; the terminal keeps only what needs someone's attention:
    # warnings and errors, but not a 404 or a refused form, which the visitor sees on the page.
    _log_handlers["console"]["level"] = "WARNING"
    _log_handlers["console"]["filters"] = ["not_client_errors"]
    _log_handlers["file"] = {
        "class": "logging.FileHandler",
        "filename": LOG_FILE,
        "formatter": "plain",
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"not_client_errors": {"()": "premierdesk.lib.logs.NotClientErrors"}},
    "handlers": _log_handlers,
    "root": {"handlers": list(_log_handlers), "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
