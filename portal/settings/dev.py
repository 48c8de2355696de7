"""Settings for a developer's machine: `make run`. Debug on, embedded SQLite by default."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ["*"]
DEMO_PUBLISHED_PASSWORD = True  # load_demo's accounts share the published demo password
