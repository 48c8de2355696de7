"""Test clients that behave as the residents' browsers do."""

from urllib.parse import urlencode

from django.test import Client
from django.test.client import MULTIPART_CONTENT


class BrowserFormClient(Client):
    """Django's test client, posting a dict as a browser posts a form: URL-encoded, and multipart
    only when a file is in it (Django's client sends every dict as multipart, which the public
    pages refuse: their forms take no files)."""

    def post(self, path, data=None, content_type=None, **extra):
        if content_type is None:
            with_file = isinstance(data, dict) and any(hasattr(value, "read") for value in data.values())
            if isinstance(data, dict) and not with_file:
                content_type, data = "application/x-www-form-urlencoded", urlencode(data, doseq=True)
            else:
                content_type = MULTIPART_CONTENT
        return super().post(path, data, content_type, **extra)
