"""Demo / local development: SQLite under var/, secrets generated per install into var/secrets.env."""

from .base import *  # noqa: F403
from .base import VAR_DIR, load_env_file

load_env_file(VAR_DIR / "secrets.env")

from .base import os  # noqa: E402

DEBUG = True
SECRET_KEY = os.environ.get("GONGJIANG_SECRET_KEY", "")
GONGJIANG_ID_HASH_KEY = os.environ.get("GONGJIANG_ID_HASH_KEY", "")
GONGJIANG_FIELD_KEY = os.environ.get("GONGJIANG_FIELD_KEY", "")
