"""Settings shared by every environment.

Everything secret or machine-specific comes from the environment (see `docs/configuration.md`):
DATABASE_URL, REDIS_URL, GONGJIANG_SECRET_KEY, GONGJIANG_ID_HASH_KEY, GONGJIANG_FIELD_KEY,
GONGJIANG_ALLOWED_HOSTS. The demo generates its secrets into `var/secrets.env` (git-ignored).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGJIANG_VAR_DIR", BASE_DIR / "var"))


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines into os.environ without overriding what is already set."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip())


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("GONGJIANG_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "gongjiang.core",
    "gongjiang.catalog",
    "gongjiang.registry",
    "gongjiang.policy",
    "gongjiang.training",
    "gongjiang.targets",
    "gongjiang.funds",
    "gongjiang.talent",
    "gongjiang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongjiang.core.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "gongjiang.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongjiang.sqlite3'}"),
        conn_max_age=int(os.environ.get("GONGJIANG_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Passwords per OWASP ASVS 5.0 §6.2: at least 12 characters, up to 128 (passphrases welcome, any
# characters), no composition rules, checked offline against Django's list of 20,000 passwords
# common in breaches and against words of this system (`gongjiang.core.passwords`).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "gongjiang.core.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gongjiang.core.passwords.ContextWordsValidator"},
]

# Log-in controls (`gongjiang.core.authn`). The second factor is off here and in tests; production
# switches it on for the staff roles.
GONGJIANG_OTP_REQUIRED = False
GONGJIANG_OTP_ROLES = ["bureau_admin", "centre_reviewer", "finance_officer", "auditor"]
GONGJIANG_LOGIN_MAX_FAILURES = 5
GONGJIANG_LOGIN_IP_MAX_FAILURES = 30
GONGJIANG_LOGIN_FAILURE_WINDOW = 15 * 60
GONGJIANG_LOGIN_LOCK_SECONDS = 15 * 60
GONGJIANG_SESSION_IDLE_SECONDS = 30 * 60
GONGJIANG_SESSION_ABSOLUTE_SECONDS = 10 * 3600
SESSION_COOKIE_AGE = GONGJIANG_SESSION_ABSOLUTE_SECONDS
# How many reverse proxies stand in front of the app (their X-Forwarded-For entries are trusted).
GONGJIANG_TRUSTED_PROXIES = int(os.environ.get("GONGJIANG_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded evidence lives here and is served only through permission-checked views (no MEDIA_URL).
MEDIA_ROOT = Path(os.environ.get("GONGJIANG_MEDIA_ROOT", VAR_DIR / "media"))

REDIS_URL = os.environ.get("REDIS_URL", "")

# Secrets: SECRET_KEY signs sessions; ID_HASH_KEY keys the HMAC used to look people up by ID number;
# FIELD_KEY (Fernet) encrypts ID numbers, phones and bank accounts at rest.
SECRET_KEY = os.environ.get("GONGJIANG_SECRET_KEY", "")
GONGJIANG_ID_HASH_KEY = os.environ.get("GONGJIANG_ID_HASH_KEY", "")
GONGJIANG_FIELD_KEY = os.environ.get("GONGJIANG_FIELD_KEY", "")

# Background tasks: django-tasks. Demo and tests run them inline; production uses the database
# backend and `gongjiang db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Uploaded spreadsheets are opened only within these limits (zip bombs, oversized files).
GONGJIANG_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
GONGJIANG_MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
GONGJIANG_MAX_IMPORT_ROWS = 20000
# Evidence files (photos, documents, videos): checked by extension and sniffed content, size-limited.
GONGJIANG_MAX_PHOTO_BYTES = 10 * 1024 * 1024
GONGJIANG_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
GONGJIANG_MAX_VIDEO_BYTES = 300 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = GONGJIANG_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = GONGJIANG_MAX_UPLOAD_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
