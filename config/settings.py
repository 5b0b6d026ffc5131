"""Tiaojie settings: one module, every value from the environment (see docs/deploy.md).

Bad values fail loudly at start-up (ImproperlyConfigured) instead of being guessed.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_ENVIRONMENTS = ("development", "production")
TIAOJIE_ENV = env.str("TIAOJIE_ENV", default="development")
if TIAOJIE_ENV not in _ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"TIAOJIE_ENV must be one of {', '.join(_ENVIRONMENTS)}, not {TIAOJIE_ENV!r}"
    )
PRODUCTION = TIAOJIE_ENV == "production"


def _bool(name: str, default: bool) -> bool:
    """Only the usual spellings count; 'ture' or 'yes please' is an error, not False."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


VAR_DIR = Path(env.str("TIAOJIE_VAR_DIR", default=str(BASE_DIR / "var")))
DEBUG = _bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when TIAOJIE_ENV=production")


def _secret_key() -> str:
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when TIAOJIE_ENV=production")
    # Development and the demo keep a generated key under var/, never in the repository.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _field_keys() -> dict[str, str]:
    """Keys for personal data at rest: "id:base64,id:sm4:base64", the first one encrypts.

    Kept outside the database (environment or a file under var/) with an id per key, so
    keys can be rotated: old rows still decrypt with their own key id.
    """
    raw = env.str("TIAOJIE_FIELD_KEYS", default="")
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured("TIAOJIE_FIELD_KEYS is required when TIAOJIE_ENV=production")
        path = VAR_DIR / "field_keys"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}")
            path.chmod(0o600)
        raw = path.read_text().strip()
    keys: dict[str, str] = {}
    for item in raw.split(","):
        key_id, _sep, value = item.strip().partition(":")
        # "id:base64" is an AES-256-GCM key (32 bytes); "id:sm4:base64" an SM4-GCM key
        # (16 bytes) for deployments that must use 国密 algorithms.
        sm4 = value.startswith("sm4:")
        try:
            decoded = base64.b64decode(value[4:] if sm4 else value, validate=True)
        except ValueError:
            decoded = b""
        if not key_id or key_id in keys or len(decoded) != (16 if sm4 else 32):
            raise ImproperlyConfigured(
                "TIAOJIE_FIELD_KEYS must be comma-separated keys with distinct ids: "
                "id:base64 (32-byte AES-256 key) or id:sm4:base64 (16-byte SM4 key)"
            )
        keys[key_id] = value
    return keys


def _blind_index_key() -> str:
    raw = env.str("TIAOJIE_BLIND_INDEX_KEY", default="")
    if not raw:
        if PRODUCTION:
            raise ImproperlyConfigured(
                "TIAOJIE_BLIND_INDEX_KEY is required when TIAOJIE_ENV=production"
            )
        path = VAR_DIR / "blind_index_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        raw = path.read_text().strip()
    try:
        if len(base64.b64decode(raw, validate=True)) < 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "TIAOJIE_BLIND_INDEX_KEY must be at least 32 bytes, base64"
        ) from None
    return raw


TIAOJIE_FIELD_KEYS = _field_keys()
TIAOJIE_BLIND_INDEX_KEY = _blind_index_key()

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when TIAOJIE_ENV=production")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
BEHIND_PROXY = _bool("TIAOJIE_BEHIND_PROXY", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves Swagger UI from our own static files, not a CDN
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "tiaojie.core",
    "tiaojie.worker",
    "tiaojie.regions",
    "tiaojie.accounts",
    "tiaojie.cases",
    "tiaojie.administration",
    "tiaojie.intake",
    "tiaojie.routing",
    "tiaojie.whistles",
    "tiaojie.modes",
    "tiaojie.portal",
    "tiaojie.grid",
    "tiaojie.ledger",
    "tiaojie.meetings",
    "tiaojie.api",
    "tiaojie.audit",
    "tiaojie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # PostgreSQL cannot hold a NUL character: such input is refused before anything reads it.
    "tiaojie.core.middleware.RefuseNulMiddleware",
    # No answer of the application stays in a browser's or proxy's cache (docs/security.md).
    "tiaojie.core.middleware.NoStoreMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tiaojie.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user, the second factor and messages are known: the session's age limit, the
    # code step and an expired password come before any page (docs/security.md).
    "tiaojie.accounts.middleware.LoginSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "tiaojie.core.context_processors.site",
                "tiaojie.regions.context_processors.site_name",
                "tiaojie.accounts.context_processors.menu",
                "tiaojie.modes.context_processors.banner",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects the engine: default SQLite under var/, or postgres://user:pw@host/db.
_default_sqlite = f"sqlite:///{VAR_DIR / 'tiaojie.sqlite3'}"
try:
    _db = env.db_url("DATABASE_URL", default=_default_sqlite)
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
# WAL lets readers work while one writer commits; FULL fsyncs every commit so an acknowledged
# case survives a power cut (DESIGN §9). secure_delete overwrites what is deleted (剩余信息保护:
# a purged audit entry or an ended session is not left readable in the file's free pages).
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
    "PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        "init_command": SQLITE_INIT_COMMAND,
        # Writers take the lock at BEGIN, so two writers queue instead of failing mid-way.
        "transaction_mode": "IMMEDIATE",
    }
elif _db["ENGINE"] in ("django.db.backends.postgresql",):
    _db.setdefault("CONN_MAX_AGE", _int("DATABASE_CONN_MAX_AGE", 60))
    # A kept connection is pinged before the first query of each request, so a database
    # restart costs no failed request; the ping is one round trip per request (about 10% of
    # a machine intake receipt, docs/benchmarks.md). Off, each worker's first request after
    # a restart fails once (an error page, or a 500 the sender retries) and is replaced.
    _db["CONN_HEALTH_CHECKS"] = _bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
else:
    raise ImproperlyConfigured(
        f"DATABASE_URL must point to SQLite or PostgreSQL, not {_db['ENGINE']}"
    )
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Login security (等保 8.1.4.1, docs/security.md). ASVS and 等保 disagree on expiry, so the
# policy is configuration; the defaults are what a level-3 assessment expects.
TIAOJIE_PASSWORD_MIN_LENGTH = _int("TIAOJIE_PASSWORD_MIN_LENGTH", 12, minimum=8)
TIAOJIE_PASSWORD_MIN_CLASSES = _int("TIAOJIE_PASSWORD_MIN_CLASSES", 3, minimum=1)
if TIAOJIE_PASSWORD_MIN_CLASSES > 4:
    raise ImproperlyConfigured("TIAOJIE_PASSWORD_MIN_CLASSES must be between 1 and 4")
TIAOJIE_PASSWORD_MAX_AGE_DAYS = _int("TIAOJIE_PASSWORD_MAX_AGE_DAYS", 90)  # 0: never expires
TIAOJIE_PASSWORD_HISTORY = _int("TIAOJIE_PASSWORD_HISTORY", 5)  # 0: may repeat
# Accounts nobody signed in to for this many days are disabled by `tiaojie sweep` (AC-2).
TIAOJIE_DORMANT_DAYS = _int("TIAOJIE_DORMANT_DAYS", 90)  # 0: never
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": TIAOJIE_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "tiaojie.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": TIAOJIE_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "tiaojie.accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"depth": TIAOJIE_PASSWORD_HISTORY},
    },
]

# Lockout (django-axes): the account is locked after this many failures in a row, for this
# long. By user name, so guessing from many addresses still locks; by address as well only
# when asked, because a town's offices often share one NAT address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _int("TIAOJIE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_int("TIAOJIE_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = ["username"]
SILENCED_SYSTEM_CHECKS: list[str] = []
if _bool("TIAOJIE_LOCKOUT_BY_IP", default=False):
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
else:
    # Axes asks for the address so that rotating user agents or cookies cannot dodge the
    # count; counting by user name alone is not dodged that way either.
    SILENCED_SYSTEM_CHECKS.append("axes.W006")
# Failures are forgiven only after both factors succeed (accounts/two_factor.py), so a
# stolen password cannot reset the count while guessing codes.
AXES_RESET_ON_SUCCESS = False
# The lock runs a fixed time from the last counted failure; retrying while locked does not
# stretch it (the user is told how long to wait).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "tiaojie.accounts.login_views.locked_out"
# The client address comes from the socket, or from the proxy's header when there is one:
# never from headers a client could forge.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False
# Axes keeps the posted form of each failure; never the secrets in it.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "token",
    "old_password",
    "new_password1",
    "new_password2",
]

# Two-factor sign-in (django-otp): every staff member enters a TOTP code (or a one-time
# backup code) after the password. Development may switch it off; production may not.
TIAOJIE_2FA_REQUIRED = _bool("TIAOJIE_2FA_REQUIRED", default=True)
if PRODUCTION and not TIAOJIE_2FA_REQUIRED:
    raise ImproperlyConfigured(
        "TIAOJIE_2FA_REQUIRED cannot be off when TIAOJIE_ENV=production: every staff member "
        "signs in with a second factor"
    )
OTP_TOTP_ISSUER = env.str("TIAOJIE_TOTP_ISSUER", default="Tiaojie")
TIAOJIE_BACKUP_CODES = 10

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_COOKIE_AGE = _int("TIAOJIE_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout slides with activity
# However active, a sign-in lasts at most this long (ASVS 7.3.2); then sign in again.
TIAOJIE_SESSION_MAX_SECONDS = _int("TIAOJIE_SESSION_MAX_SECONDS", 12 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_secure_cookies = _bool("TIAOJIE_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _bool("TIAOJIE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = _int("TIAOJIE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _bool("TIAOJIE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # The center runs on a government intranet whose host names cannot be on the
        # browsers' public preload list; HSTS itself stays on (a year, subdomains included).
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline scripts or styles anywhere; every asset is served locally.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Caches -----------------------------------------------------------------------------------
# The rate limits of the public portal count in a table of the database (created by the
# portal's migration with createcachetable), so every gunicorn worker and every application
# server sees the same counts without another service to run. Everything else may cache per
# process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tiaojie_ratelimit_cache",
        # Counters expire within a day; culling must not drop live ones on a busy day.
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
    },
}

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {40: "danger"}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIAOJIE_TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry at install time (package.json) and are
# served from here: never from a CDN, since the center's network is an intranet.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Attachments live here, outside the database and outside STATIC: they are served only
# through the scoped download view, never by the web server directly.
MEDIA_ROOT = Path(env.str("TIAOJIE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
TIAOJIE_UPLOAD_MAX_BYTES = _int("TIAOJIE_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Ledger files (台账导入): a county's ledger of 100,000 rows is some 20 MB as CSV.
TIAOJIE_LEDGER_MAX_BYTES = _int("TIAOJIE_LEDGER_MAX_MB", 60, minimum=1) * 1024 * 1024
# Files of people's disputes: readable by the application's user (and a backup group), no one else.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background work (docs/worker.md) ---------------------------------------------------------
# Queued work (django-tasks, stored in the database) and the periodic sweep, both run by
# `tiaojie worker`. A worker holds a lease on the work it runs and renews it every third of
# the lease; work whose lease ran out (its process died) is taken over by another worker. On
# SQLite one long write transaction (a big ledger import) holds off the renewal, so the lease
# must outlast the longest one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TIAOJIE_WORKER_LEASE_SECONDS = _int("TIAOJIE_WORKER_LEASE_SECONDS", 120, minimum=1)
# A failed attempt waits this many seconds times the attempts made before the next one.
TIAOJIE_WORKER_RETRY_SECONDS = _int("TIAOJIE_WORKER_RETRY_SECONDS", 30, minimum=0)
# Seconds between two runs of the periodic sweep (deadlines, whistles, dormant accounts).
TIAOJIE_SWEEP_SECONDS = _int("TIAOJIE_SWEEP_SECONDS", 60, minimum=1)

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env.str("TIAOJIE_LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Tiaojie --------------------------------------------------------------------------------
# Optional research data for tests and benchmarks: court sentences and citizen messages that
# carry no licence and stay out of the repository. The region lists of 临渭区 ship in the
# package (tiaojie/regions/data), so nothing the demo or the suite needs lives here.
TIAOJIE_DATA_DIR = Path(
    env.str("TIAOJIE_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data"))
)
TIAOJIE_SITE_NAME = env.str("TIAOJIE_SITE_NAME", default="")

# Text messages: "log" writes them to the log (demo, development); "http" posts them to the
# operator's SMS gateway. A real gateway is configuration, not code (docs/deploy.md).
TIAOJIE_SMS_BACKEND = env.str("TIAOJIE_SMS_BACKEND", default="log")
if TIAOJIE_SMS_BACKEND not in ("log", "http"):
    raise ImproperlyConfigured(
        f"TIAOJIE_SMS_BACKEND must be log or http, not {TIAOJIE_SMS_BACKEND!r}"
    )
TIAOJIE_SMS_URL = env.str("TIAOJIE_SMS_URL", default="")
TIAOJIE_SMS_TOKEN = env.str("TIAOJIE_SMS_TOKEN", default="")
TIAOJIE_SMS_PHONE_FIELD = env.str("TIAOJIE_SMS_PHONE_FIELD", default="mobile")
TIAOJIE_SMS_TEXT_FIELD = env.str("TIAOJIE_SMS_TEXT_FIELD", default="content")
# Each message carries a stable key the gateway uses to drop a repeat (delivery is at least
# once): sent as this JSON field and, if set, this HTTP header too (docs/deploy.md).
TIAOJIE_SMS_KEY_FIELD = env.str("TIAOJIE_SMS_KEY_FIELD", default="msgId")
TIAOJIE_SMS_KEY_HEADER = env.str("TIAOJIE_SMS_KEY_HEADER", default="Idempotency-Key")
if TIAOJIE_SMS_BACKEND == "http" and not TIAOJIE_SMS_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("TIAOJIE_SMS_URL must be the gateway's http(s) URL")
# The security audit log keeps at least this many days; less than 180 is refused (等保 level 3
# asks for six months of audit records).
TIAOJIE_AUDIT_RETENTION_DAYS = _int("TIAOJIE_AUDIT_RETENTION_DAYS", 180, minimum=180)
# The sweeper reminds this many hours before a deadline.
TIAOJIE_REMIND_BEFORE_HOURS = _int("TIAOJIE_REMIND_BEFORE_HOURS", 24, minimum=1)
# Whistles (吹哨报到, docs/whistles.md): the departments' check-in deadline, in hours, for
# red and orange cases and for the others; no whistle may give more than the maximum.
TIAOJIE_WHISTLE_URGENT_HOURS = _int("TIAOJIE_WHISTLE_URGENT_HOURS", 2, minimum=1)
TIAOJIE_WHISTLE_HOURS = _int("TIAOJIE_WHISTLE_HOURS", 24, minimum=1)
TIAOJIE_WHISTLE_MAX_HOURS = _int("TIAOJIE_WHISTLE_MAX_HOURS", 72, minimum=1)

# The public portal (docs/portal.md): the area whose towns and villages citizens choose from
# (a region code; default the root of the region tree), and the rate limits that keep it usable.
TIAOJIE_PORTAL_REGION = env.str("TIAOJIE_PORTAL_REGION", default="")
TIAOJIE_PORTAL_SUBMITS_PER_IP_HOUR = _int("TIAOJIE_PORTAL_SUBMITS_PER_IP_HOUR", 20, minimum=1)
TIAOJIE_PORTAL_SUBMITS_PER_PHONE_DAY = _int("TIAOJIE_PORTAL_SUBMITS_PER_PHONE_DAY", 5, minimum=1)
TIAOJIE_PORTAL_LOOKUPS_PER_IP_HOUR = _int("TIAOJIE_PORTAL_LOOKUPS_PER_IP_HOUR", 30, minimum=1)
TIAOJIE_PORTAL_FAILED_LOOKUPS_PER_CASE_DAY = _int(
    "TIAOJIE_PORTAL_FAILED_LOOKUPS_PER_CASE_DAY", 10, minimum=1
)
