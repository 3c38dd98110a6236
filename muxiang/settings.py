"""Settings, read from environment variables so that one build runs as the demo and in production.

SQLite is the embedded default; PostgreSQL (``DATABASE_URL``) and Redis (``REDIS_URL``) are the
production setup. See docs/operations.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MUXIANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    # Without SECRET_KEY in the environment (the demo), keep a generated key in var/ so that
    # sessions survive a restart; production always sets SECRET_KEY.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",
    # the platform's own apps: core first, then the domain nouns
    "muxiang.core",
    "muxiang.accounts",
    "muxiang.regions",
    "muxiang.stations",
    "muxiang.organisations",
    "muxiang.people",
    "muxiang.contracts",
    "muxiang.funds",
    "muxiang.centre",
    "muxiang.publicity",
    "muxiang.training",
    "muxiang.operations",
    "muxiang.mofcom",
    "muxiang.supply",
    "muxiang.network",
    "muxiang.sales",
    "muxiang.brands",
    "muxiang.standards",
    "muxiang.trace",
    "muxiang.jobs",
    "muxiang.reports",
    "huey.contrib.djhuey",
    "muxiang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "muxiang.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "muxiang.urls"
WSGI_APPLICATION = "muxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "muxiang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "muxiang.core.context_processors.platform",
                "muxiang.contracts.context_processors.current_contract",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'muxiang.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo serve readers while an import writes; IMMEDIATE avoids "database is locked"
    # on write transactions that start as reads.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Room for the trace scan page's per-code entries (muxiang/trace/scans.py); the default is 300.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# The background worker (``muxiang run_huey``; ``make run`` starts it next to the web server): Redis
# in production, an SQLite file next to the database otherwise, so that the embedded set-up needs no
# extra server. Jobs are queued after their transaction commits (muxiang.jobs.services).
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "muxiang",
    "immediate": False,
    "results": False,
    "utc": True,
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "jobs.sqlite3")},
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "muxiang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True

# Evidence files live on the local disk unless S3-compatible storage is configured.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }

EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "25")) * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "50")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Production hardening; behind HTTPS set SECURE_HTTPS=1 (docs/operations.md).
SECURE_HTTPS = env_bool("SECURE_HTTPS")
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# Behind our own reverse proxy the client address comes from X-Forwarded-For; without one the header
# is whatever the client chose to send, so it is ignored.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", SECURE_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

PAGE_SIZE = 25

# Coverage targets in percent (contract 1.2: towns 100%, villages 50%, exited-poverty villages 20%).
# Read by stations.services.coverage_targets until contracts are loaded as data.
MUXIANG_COVERAGE_TARGETS = {"town": 100, "village": 50, "exited_poverty": 20}

# Backups (``muxiang backup`` / ``muxiang restore``, docs/operations.md): where archives go, whether
# the worker writes one every night (03:00 in the county) and how many nightly archives it keeps.
MUXIANG_BACKUP_DIR = Path(os.environ.get("MUXIANG_BACKUP_DIR", VAR_DIR / "backups"))
MUXIANG_BACKUP_NIGHTLY = env_bool("MUXIANG_BACKUP_NIGHTLY")
MUXIANG_BACKUP_KEEP = int(os.environ.get("MUXIANG_BACKUP_KEEP", "7"))

# Ledger exports of more rows than this, and imports of files larger than this, run in the
# background worker (the job page shows progress and the result); smaller ones answer at once.
LEDGER_BACKGROUND_EXPORT_ROWS = int(os.environ.get("LEDGER_BACKGROUND_EXPORT_ROWS", "10000"))
LEDGER_BACKGROUND_IMPORT_KB = int(os.environ.get("LEDGER_BACKGROUND_IMPORT_KB", "512"))
