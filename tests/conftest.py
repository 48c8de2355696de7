from django.core.cache import cache

import pytest

from tests.clients import BrowserFormClient


@pytest.fixture
def client():
    """pytest-django's ``client``, posting forms as a browser does (``BrowserFormClient``)."""
    return BrowserFormClient()


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
