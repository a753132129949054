"""Production: PostgreSQL, Redis, every secret from the environment, HTTPS only behind a proxy.

Processes (see docs/deploy.md): stateless app processes (`gunicorn -c config/gunicorn.conf.py
config.wsgi:application`) behind a reverse proxy that terminates TLS, and one or more
`gongjiang db_worker` processes for background work, all on one PostgreSQL.

- Cache and sessions: Redis (`REDIS_URL`). Sessions live only in Redis: losing Redis logs everyone
  out and loses no data. Log-in lock-outs are kept in PostgreSQL, so they hold across processes.
- Background tasks: django-tasks' database backend; `gongjiang db_worker` runs them.
- Static files: served by the app itself with WhiteNoise (compressed, hashed names, cached for a
  year), so the proxy needs no file system access; `gongjiang collectstatic` at each release.
- Logs: JSON lines on stdout, no personal data (`gongjiang.core.logging`).
- Log-in: a second factor (TOTP) for the staff roles in `GONGJIANG_OTP_ROLES`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, dj_database_url, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置")
    return value


DEBUG = False
SECRET_KEY = required("GONGJIANG_SECRET_KEY")
GONGJIANG_ID_HASH_KEY = required("GONGJIANG_ID_HASH_KEY")
GONGJIANG_FIELD_KEY = required("GONGJIANG_FIELD_KEY")
REDIS_URL = required("REDIS_URL")

DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL"),
        conn_max_age=int(os.environ.get("GONGJIANG_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A reporting replica (read-only streaming replica) for heavy reads; unset: the primary serves them.
if os.environ.get("DATABASE_URL_REPLICA"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_URL_REPLICA"], conn_max_age=60, conn_health_checks=True
    )

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("GONGJIANG_CACHE_PREFIX", "gongjiang"),
        "TIMEOUT": 300,
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

GONGJIANG_OTP_REQUIRED = True
GONGJIANG_OTP_ROLES = env_list("GONGJIANG_OTP_ROLES", "bureau_admin,centre_reviewer,finance_officer,auditor")
GONGJIANG_TRUSTED_PROXIES = int(os.environ.get("GONGJIANG_TRUSTED_PROXIES", "1"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then WhiteNoise (its documented place)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "gongjiang.core.logging.RedactFilter"}},
    "formatters": {"json": {"()": "gongjiang.core.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("GONGJIANG_LOG_LEVEL", "INFO")},
    "loggers": {
        # 4xx answers are logged by django.request at WARNING: keep them, they show probing.
        "django.request": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}
