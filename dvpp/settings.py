"""Settings for the DVPP case-management system: one module, driven by environment variables.

The defaults give a working single machine (SQLite, Celery tasks run in-process). Production
switches on with ``DEBUG`` off, which also turns on the strict checks below: no secret key, no
start. Every variable is listed in the README's configuration table.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# pytest sets PYTEST_VERSION for the whole run; the suite needs no secret key of its own.
TESTING = "PYTEST_VERSION" in os.environ

# Off unless asked for: a forgotten DEBUG=1 in production would put case data on error pages.
DEBUG = env_bool("DEBUG", False)

# Commands that only read the code (making migrations or catalogues, collecting static files)
# need no secret: they run without one, on a developer's machine or in an image build.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}
CODE_ONLY = (
    len(sys.argv) > 1
    and os.path.basename(sys.argv[0]) == "manage.py"
    and sys.argv[1] in CODE_ONLY_COMMANDS
)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING or CODE_ONLY):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the application refuses to start without one: "
            "set SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DEBUG=1 on a development machine."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

# Keys that encrypt partners' contact details at rest (Fernet keys, comma-separated, newest
# first). Older keys stay readable; `manage.py rotate_encryption_keys` re-encrypts with the first.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not (DEBUG or TESTING or CODE_ONLY):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set. With DEBUG off the application refuses to start "
            "without the key that encrypts partners' contact details: generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
            ".decode())'` and keep it safe: without it the data cannot be read."
        )
    import base64
    import hashlib

    # Development and tests only: a key derived from the (development) secret key.
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    ]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "dvpp.views.csrf_failure"
# Keep the X-Request-ID a proxy in front sets (its own request id) instead of making one.
TRUST_REQUEST_ID_HEADER = env_bool("TRUST_REQUEST_ID_HEADER", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "dvpp.apps.DvppConfig",
    "participants.apps.ParticipantsConfig",
    "sessions.apps.GroupSessionsConfig",
    "partners.apps.PartnersConfig",
    "outcomes.apps.OutcomesConfig",
    "consent.apps.ConsentConfig",
    "evidence.apps.EvidenceConfig",
    "coalition.apps.CoalitionConfig",
    "library.apps.LibraryConfig",
]

MIDDLEWARE = [
    "dvpp.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "dvpp.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # request.htmx: whether a request comes from htmx, and what it says (HX-Current-URL).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dvpp.middleware.OrganisationTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dvpp.middleware.IdleTimeoutMiddleware",
    # After the idle check: a signed-in user who has not passed the second factor reaches only
    # the second-factor pages and sign-out.
    "dvpp.two_factor.SecondFactorMiddleware",
    "dvpp.middleware.KeptFormMiddleware",
    "dvpp.middleware.ForgedOrganisationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dvpp.urls"
WSGI_APPLICATION = "dvpp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dvpp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dvpp.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite locks the whole file on write: wait for the lock rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "dvpp.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): 5 failed sign-ins within 15 minutes lock that username, and
# separately that address, for the rest of the 15 minutes. The admin sign-in is covered too.
# An installation superuser unlocks in the admin site (Axes → access attempts).
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_URL = "login"
# Two-factor sign-in (django-otp: TOTP, and one-time recovery codes). Every staff account
# sets it up at its first sign-in. It can be switched off only for development (DEBUG on).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
if not TWO_FACTOR_REQUIRED and not DEBUG and not TESTING:
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED=0 is allowed only with DEBUG=1.")
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "DVPP")
# Exports, user management, subject access and erasure ask again for the password or a code
# unless the user confirmed it within this many minutes.
REAUTH_MINUTES = env_int("REAUTH_MINUTES", 5)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the product works fully in English and Russian.
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of en, ru, not {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [BASE_DIR / "dvpp" / "locale"]
# English dates and times as written in the UK (31/12/2026, 14:30); Russian uses Django's own.
FORMAT_MODULE_PATH = ["dvpp.formats"]
USE_I18N = True
USE_TZ = True
# The installation's default; each organisation has its own time zone for its pages.
TIME_ZONE = env("TIME_ZONE", "Europe/London")

STATIC_URL = "/static/"
# Where collectstatic writes (and WhiteNoise serves from in production).
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files while
        # developing and testing, which need no collectstatic step.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Uploaded files (programme handouts). Never served at a public address: the handout page sends
# each one only to signed-in staff of its organisation. Keep the directory in the backups.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Development and tests read static files straight from each app's static/ (the project's are
# in dvpp/static/); production from collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Flash messages live in the server-side session, never in a (readable) cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Imports (CSV/XLSX): larger uploads are refused on the form, before anything reads them.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# E-mail: printed to the console while developing; SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "dvpp@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages: a pluggable backend (dvpp/sms.py). The default only logs.
SMS_BACKEND = env("SMS_BACKEND", "dvpp.sms.LogSmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_SENDER = env("SMS_SENDER", "DVPP")
# The gateway reports delivery to /sms/status with this bearer token; empty: the address is off.
SMS_STATUS_TOKEN = env("SMS_STATUS_TOKEN")
# Where links in e-mails point to, e.g. https://dvpp.example.org
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Celery: without REDIS_URL every task runs in-process, at once, so nothing needs a broker.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it has finished, and put back if its worker dies; every task
# is safe to run twice (see dvpp/notifications.py), so redelivery never sends twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 15 * 60
# Longer than the longest task, so Redis does not hand a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The whole schedule, in one place. Times are in TIME_ZONE.
CELERY_BEAT_SCHEDULE = {
    "queue-due-reminders": {"task": "sessions.send_reminders", "schedule": 300.0},
    "send-pending-notifications": {"task": "dvpp.send_pending_notifications", "schedule": 60.0},
    "nightly-outcome-report": {
        "task": "outcomes.nightly_report",
        "schedule": crontab(hour=2, minute=0),
    },
    "nightly-retention": {
        "task": "participants.apply_retention",
        "schedule": crontab(hour=3, minute=0),
    },
    "morning-iss-digest": {"task": "partners.digest", "schedule": crontab(hour=7, minute=0)},
    # A programme with a deadline (the cautioning workshops): non-completion tasks when it passes.
    "nightly-completion-deadlines": {
        "task": "sessions.completion_deadlines",
        "schedule": crontab(hour=2, minute=15),
    },
    # Expired sessions (and anything kept in them) are deleted, not left in the table.
    "nightly-clear-sessions": {
        "task": "dvpp.clear_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Sessions and cookies. Stricter limits (idle timeout, re-authentication) come with the
# security work; these are the baseline.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy: only this site's own files; no inline script or style, no eval.
# Pages pass data to scripts with json_script; htmx's indicator <style> is switched off in
# base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Production: HTTPS only. A reverse proxy that terminates TLS must set X-Forwarded-Proto and
# SECURE_PROXY_SSL_HEADER=1.
PRODUCTION = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# The container health check calls /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logging goes to the console only. Django's default e-mail of error reports to ADMINS is left
# out on purpose: a traceback's local variables can hold case data.
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {"request_id": {"()": "dvpp.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Failed sign-ins and lockouts are warnings; axes' start-up banner is not news.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
