"""Settings for the test suite: fast hashing, uploads in a throw-away folder.

The database is the embedded SQLite file unless DATABASE_URL names a server (CI uses
PostgreSQL).
"""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mibarrio-test-media-"))  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
DEMO_PUBLISHED_PASSWORD = True  # load_demo's accounts share the published demo password
