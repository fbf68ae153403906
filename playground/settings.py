"""One env-driven settings module.

Embedded default (no REDIS_URL): SQLite, in-memory channel layer, runs trained on a thread pool inside
the web process. Production shape (REDIS_URL set): Redis is the Celery broker and the channel layer,
workers are separate `celery -A playground worker -Q cpu|gpu` processes; DATABASE_URL picks Postgres.
"""
import json
import os
from pathlib import Path

import dj_database_url
import plotly

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-change-me-in-production")
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

REDIS_URL = os.environ.get("REDIS_URL", "")
MODE = "production" if REDIS_URL else "embedded"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "playground.runs",
    "playground.web",
    "playground.editor",
    "playground.classroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_sqlite = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_default_sqlite}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Training threads write while requests read: WAL lets readers go on, IMMEDIATE avoids
    # "database is locked" upgrades, the timeout waits out a writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: training threads need to see the test's rows (no in-memory database).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
# Plotly comes from the pinned `plotly` Python package, which ships plotly.min.js: no vendored copy.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(plotly.__file__).parent / "package_data"),
    # The graph editor's packages, pinned in package-lock.json and installed by `make` (npm ci).
    ("vendor/drawflow", BASE_DIR / "node_modules" / "drawflow" / "dist"),
    ("vendor/dagre", BASE_DIR / "node_modules" / "@dagrejs" / "dagre" / "dist"),
]
WHITENOISE_USE_FINDERS = True  # serve straight from the finders: no collectstatic step needed
WHITENOISE_AUTOREFRESH = DEBUG

# Bodies over this are answered 413 with a JSON error (see playground/jsonapi.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
CSRF_FAILURE_VIEW = "playground.web.views.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Channels -----------------------------------------------------------------------------------
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # socket_timeout None: redis-py's 5 s default equals the layer's blocking read and
                # crashes idle consumers (channels_redis #422). Capacity 1,000: the default 100 drops
                # messages under a classroom's load.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None, "max_connections": 1000}],
                "capacity": 1000,
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_DEFAULT_QUEUE = "cpu"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Redis redelivers unacked tasks after the visibility timeout: it must exceed the longest run
# (the task is idempotent on the run id anyway).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Playground ---------------------------------------------------------------------------------
PLAYGROUND_ALLOW_ANONYMOUS = _env_bool("PLAYGROUND_ALLOW_ANONYMOUS", True)
# The bounds every spec is validated against (models_core.Limits fields), loosened or tightened by the
# instance: PLAYGROUND_LIMITS='{"max_params": 500000, "max_seq_len": 128}'. Unknown fields fail at start.
PLAYGROUND_LIMITS = json.loads(os.environ.get("PLAYGROUND_LIMITS", "{}"))
EMBEDDED_WORKERS = int(os.environ.get("EMBEDDED_WORKERS", "2"))
TORCH_THREADS = int(os.environ.get("TORCH_THREADS", "1"))  # tiny nets: more threads only add overhead
PUBLISH_INTERVAL_S = float(os.environ.get("PUBLISH_INTERVAL_S", "0.05"))  # ≤ 20 messages/s per run
VISUAL_INTERVAL_S = float(os.environ.get("VISUAL_INTERVAL_S", "0.1"))  # heatmaps ≥ 10/s
HEARTBEAT_INTERVAL_S = 5
STALE_AFTER_S = int(os.environ.get("STALE_AFTER_S", "60"))  # no heartbeat this long → worker lost
HISTORY_MAX_POINTS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
