"""Test settings: keys are random per run (never committed); DATABASE_URL picks SQLite or PostgreSQL."""

import atexit
import base64
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = os.urandom(32).hex()
GONGJIANG_ID_HASH_KEY = os.urandom(32).hex()
GONGJIANG_FIELD_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="gongjiang-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
