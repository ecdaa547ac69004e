"""Django settings for Zhaoshang. Every value comes from the environment (docs/settings.md)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from zhaoshang.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    env_times,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("ZHAOSHANG_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see docs/settings.md).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = env_int("PORT", 8000)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # ninja's own Swagger page and assets, served from here instead of a CDN (the CSP allows 'self').
    "ninja",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.audit",
    "zhaoshang.jobs",
    "zhaoshang.ingest",
    "zhaoshang.units",
    "zhaoshang.accounts",
    "zhaoshang.investors",
    "zhaoshang.projects",
    "zhaoshang.ledger",
    "zhaoshang.targets",
    "zhaoshang.coordination",
    "zhaoshang.inspections",
    "zhaoshang.notifications",
    "zhaoshang.dispatch",
    "zhaoshang.activities",
    "zhaoshang.catalogue",
    "zhaoshang.enterprises",
    "zhaoshang.parks",
    "zhaoshang.scale",
    "zhaoshang.overview",
    "zhaoshang.summaries",
    "zhaoshang.assessment",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhaoshang.accounts.security.SessionTimeoutMiddleware",
    "zhaoshang.accounts.security.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhaoshang.audit.context.RequestContextMiddleware",
    "zhaoshang.core.middleware.DiskFullMiddleware",
    # Last, as django-axes requires: it turns a lockout flagged during the view into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.context_processors.navigation",
                "zhaoshang.notifications.context_processors.unread_notifications",
            ],
        },
    },
]
# Django's widget templates, with selects and inputs written in Python to the same HTML (core/renderers.py).
FORM_RENDERER = "zhaoshang.core.renderers.FormRenderer"

# The embedded default is SQLite in WAL mode under var/; production sets DATABASE_URL to PostgreSQL.
_SQLITE_PATH = VAR_DIR / "zhaoshang.sqlite3"
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{_SQLITE_PATH}", conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, as production does, so that concurrent connections really lock (an in-memory
    # shared-cache database fails at once instead of waiting). One file per process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# A kept connection is tested before a request reuses it, so a restarted PostgreSQL costs no 500s.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A streaming read replica of the PostgreSQL primary, for dashboards, reports and exports
# (core/replica.py, docs/decisions.md section 37). Unset: no router, every query on the primary.
DATABASE_ROUTERS: list[str] = []
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 30)
_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")

if _REPLICA_URL:
    _replica = env_database("DATABASE_REPLICA_URL", "", conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if "postgresql" not in DATABASES["default"]["ENGINE"] or "postgresql" not in _replica["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for DATABASE_URL and for itself.")
    # A replica that does not answer must not hold a request for long: it is then read around.
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    _replica["CONN_HEALTH_CHECKS"] = True
    # Tests read the replica alias from the test database itself (no second test database).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["zhaoshang.core.replica.ReplicaRouter"]
    # Marks the requests that write, so their user's next reads stay on the primary for a while.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "zhaoshang.core.replica.ReplicaStickyMiddleware"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# LettersAndDigitsValidator (at least 10 characters, letters and digits) replaces Django's
# MinimumLengthValidator, whose 8 characters would only repeat a weaker form of the same rule.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhaoshang.accounts.security.LettersAndDigitsValidator"},
    {"NAME": "zhaoshang.accounts.security.NameNotInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "zhaoshang.accounts.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
FORMAT_MODULE_PATH = ["zhaoshang.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: spreadsheets are small; anything bigger is refused before it is parsed.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Attached files (evidence, photos, contracts): stored, never parsed (core/uploads.py).
MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
# An import's file is kept for a retry (core/import_views.py): per user and page, at most a day.
IMPORT_KEEP_DIR = Path(env_str("IMPORT_KEEP_DIR", str(VAR_DIR / "imports")))
IMPORT_KEEP_SECONDS = env_int("IMPORT_KEEP_SECONDS", 24 * 3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True

# Log-in lockout (django-axes): LOGIN_FAILURE_LIMIT failures for one user name, or from one client
# address, lock that name or address out for LOGIN_LOCKOUT_MINUTES; the right password is refused too.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not push its end further, so the time the page names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "zhaoshang.accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.http.client_address"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind N reverse proxies the client is the Nth address from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-factor log-in (TOTP, django-otp): optional for everyone, required for administrators if set.
REQUIRE_2FA_FOR_ADMINS = env_bool("REQUIRE_2FA_FOR_ADMINS", False)
OTP_TOTP_ISSUER = "Zhaoshang"

# Content-Security-Policy (django-csp): no inline script or style anywhere, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS-only settings apply only with DEBUG off, so `make run` keeps working over plain http.
SECURE_SSL_REDIRECT = False if DEBUG else env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("TRUSTED_PROXY_SSL_HEADER", False):
    # Only behind a proxy that always sets (or strips) this header, or anyone could claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

PAGE_SIZE = env_int("PAGE_SIZE", 50)

# Requests for coordination (需协调事项): the default deadline, in working days from acceptance, per
# kind; and how many working days before a deadline its light turns yellow (requests, rectification).
REQUEST_DEADLINE_WORKING_DAYS = {
    "dispatch_problem": env_int("REQUEST_DEADLINE_DAYS_PROBLEM", 5),
    "staff_problem": env_int("REQUEST_DEADLINE_DAYS_PROBLEM", 5),
    "complaint": env_int("REQUEST_DEADLINE_DAYS_COMPLAINT", 5),
    "inquiry": env_int("REQUEST_DEADLINE_DAYS_INQUIRY", 3),
}
DEADLINE_WARN_WORKING_DAYS = env_int("DEADLINE_WARN_WORKING_DAYS", 1)
# Landed enterprises: the stewards are reminded of the quarter's visit this many days before it ends.
VISIT_REMIND_DAYS = env_int("VISIT_REMIND_DAYS", 15)
if not 1 <= VISIT_REMIND_DAYS <= 92:
    raise ImproperlyConfigured(f"VISIT_REMIND_DAYS must lie between 1 and 92; got {VISIT_REMIND_DAYS}")
# The map: the county (GB/T 2260 code) whose outline and neighbours are drawn, from
# static/zhaoshang/geo/<code>.geojson (offline; see the README there).
MAP_COUNTY = env_str("MAP_COUNTY", "430626")
if not (MAP_COUNTY.isascii() and MAP_COUNTY.isdigit() and len(MAP_COUNTY) == 6):
    raise ImproperlyConfigured(f"MAP_COUNTY must be a six-digit county code; got {MAP_COUNTY!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
    # django-axes reports every reset at INFO; failures and lockouts still show at WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# E-mail of notifications (notifications/services.py); printed to the console unless configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# SMTP over SSL from the first byte (port 465), the other way than STARTTLS; seconds before a silent
# server is given up on, so a hung mail server cannot hold a worker for ever.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one of them.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhaoshang@localhost")
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
# WeCom (企业微信) group robots of units (notifications/): the hosts their webhooks may point at, and
# how long to wait for WeCom's answer.
WECOM_WEBHOOK_HOSTS = env_list("WECOM_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com"])
WECOM_TIMEOUT = env_int("WECOM_TIMEOUT", 10)
# Summaries (summaries/): how many processes draw the documents of a batch (the charts and the Word
# files are most of its time); 1 draws them in the worker itself.
SUMMARIES_BATCH_WORKERS = env_int("SUMMARIES_BATCH_WORKERS", 2)

# Jobs (jobs/): the queue is Django's task framework on the database (docs/decisions.md), worked by
# `manage.py db_worker` and fed daily by `manage.py run_schedule`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 90)
# The health URL fails when the scheduler or the worker has been silent this long (0: not checked).
JOBS_MAX_SILENCE_MINUTES = env_int("JOBS_MAX_SILENCE_MINUTES", 0 if DEBUG else 10)
# A running job that has not started or reported progress for this long lost its worker (stopped
# or killed mid-job): the scheduler fails it so that it can be retried (0: never).
JOBS_STALE_MINUTES = env_int("JOBS_STALE_MINUTES", 60)
# Daily jobs at other times than their own, or off: "dispatch.reminders=07:30,jobs.prune=off".
JOBS_SCHEDULE = env_times("JOBS_SCHEDULE")
# Dispatch reminders: how many days before a dispatch day that an unsubmitted report is reminded of.
DISPATCH_REMINDER_DAYS = env_int("DISPATCH_REMINDER_DAYS", 2)
# Investors' inquiries (咨询): working days allowed for each step of the response clock, counted
# from the day the inquiry was received, on the official calendar (core/deadlines.py).
INQUIRY_RESPONSE_DAYS = env_int("INQUIRY_RESPONSE_DAYS", 1)
INQUIRY_ASSESSMENT_DAYS = env_int("INQUIRY_ASSESSMENT_DAYS", 3)
INQUIRY_FEEDBACK_DAYS = env_int("INQUIRY_FEEDBACK_DAYS", 7)

# Operations (docs/operations.md): where `manage.py backup` writes, and how old the last successful
# backup may be before the health URL (/healthz) reports a failure (0: not checked).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_MAX_AGE_HOURS = env_int("BACKUP_MAX_AGE_HOURS", 0 if DEBUG else 26)
# Monitoring asks over plain HTTP on the machine itself: the health URL is not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Uploaded files and their folders are readable by the service account only, whatever its umask.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
