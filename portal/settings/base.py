"""Settings shared by every environment.

Everything that differs between a laptop, CI and production comes from the environment:
``DATABASE_URL`` (default: an SQLite file in the project), ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``REDIS_URL`` (optional cache), ``DEBUG``. Safe by default: ``DEBUG`` is off unless asked for.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable into a list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "languages",
    "teams",
    "neighborhoods",
    "works",
    "budgets",
    "participation",
    "opendata",
    "imports",
    "maps",
    "search",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "languages.middleware.PortalLocaleMiddleware",
    "languages.middleware.RememberLanguageMiddleware",
    "home.middleware.RefuseBadRequestsMiddleware",
    "home.middleware.ContentSecurityPolicyMiddleware",
    "home.middleware.PermissionsPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: the embedded SQLite file unless DATABASE_URL names a server (PostgreSQL in
# production and CI).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise memory of the current process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mibarrio",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. Django knows Spanish and English; Aymara, Quechua and Guaraní are
# added to its LANG_INFO here so that Django, the Wagtail admin and wagtail-localize can
# name them. Django only activates a language with a compiled catalog: see locale/.
LANG_INFO.update(
    {
        "ay": {"bidi": False, "code": "ay", "name": "Aymara", "name_local": "Aymar aru"},
        "qu": {"bidi": False, "code": "qu", "name": "Quechua", "name_local": "Runasimi"},
        "gn": {"bidi": False, "code": "gn", "name": "Guarani", "name_local": "Avañe'ẽ"},
    }
)

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("ay", _("Aymara")),
    ("qu", _("Quechua")),
    ("gn", _("Guarani")),
    ("en", _("English")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" saves a draft and never publishes, whoever presses it: a translation goes
# live only through the translation editor's "Publish", which checks the publish permission
# (languages.localize_workarounds.draft_translations).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/La_Paz"
USE_I18N = True
USE_TZ = True

# Static and uploaded files. WhiteNoise serves static files from the portal itself (no CDN).
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest request body outside file uploads: a public form posts a few kilobytes, a long page
# saved in the admin some hundreds; anything bigger is refused with a 400 page in the reader's
# language. Uploaded images and documents are not counted (their own limits are below).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))

# Public forms (participation/abuse.py): at most N submissions per S seconds from one client to
# one form ("N/S"), and how many reverse proxies in front of the portal append the client's
# address to X-Forwarded-For (0: the header is ignored, REMOTE_ADDR is the client).
PARTICIPATION_RATE_LIMIT = os.environ.get("PARTICIPATION_RATE_LIMIT", "10/600")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# An expired or missing CSRF token: a page in the reader's language, not Django's English one.
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mibarrio@localhost")

# Background tasks (django-tasks), such as telling an area's team of a new submission. The
# immediate backend runs a task right after the submission is committed, in the same process;
# a failing task is logged and never reaches the resident.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# Wagtail
WAGTAIL_SITE_NAME = "Mi Barrio"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Search: on PostgreSQL each text is stemmed in its own language and readers search in theirs
# and Spanish (search/backend.py); a language not named here is indexed without stemming
# ("simple": PostgreSQL has no Aymara, Quechua or Guaraní stemmer). On SQLite, Wagtail's FTS.
SEARCH_CONFIG_BY_LANGUAGE = {"es": "spanish", "en": "english"}
if DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis")):
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every image needs a description: the alt text of the public pages (home/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.image_forms.ImageForm"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Aymara, Quechua and Guaraní write dates and numbers as Bolivian Spanish does.
FORMAT_MODULE_PATH = ["portal.formats"]

# Open data: the licence every download states (JSON/GeoJSON metadata, CSV headers and sidecar).
OPEN_DATA_LICENSE = {
    "name": os.environ.get("OPEN_DATA_LICENSE_NAME", "CC BY 4.0"),
    "url": os.environ.get("OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# Maps. The background tiles of the interactive map (any XYZ tile server; its attribution is shown
# on the map); boundaries and works are drawn over a plain background when tiles cannot load.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# The city's box (west, south, east, north: longitude, latitude): every boundary must lie inside.
# The default takes in La Paz with El Alto, the southern valleys and the northern slopes.
CITY_BBOX = tuple(float(v) for v in env_list("CITY_BBOX", "-68.30,-16.70,-67.90,-16.30"))

# load_demo may create accounts with the published demo password only where this is True (dev and
# tests); elsewhere it asks for --random-passwords.
DEMO_PUBLISHED_PASSWORD = False

# Content-Security-Policy (django-csp, ``home.middleware``). Public pages: everything from the
# portal itself, map tiles from MAP_TILE_URL's host, no inline script. The admin: the same, plus
# the inline scripts of Wagtail's widgets.
_TILES = urlsplit(MAP_TILE_URL)
_TILE_ORIGIN = f"{_TILES.scheme}://{_TILES.netloc}" if _TILES.netloc else ""
_PUBLIC_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:", *filter(None, [_TILE_ORIGIN])],
    "connect-src": [SELF],
    "font-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _PUBLIC_DIRECTIVES}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_PUBLIC_DIRECTIVES,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *filter(None, [_TILE_ORIGIN])],
        "frame-src": [SELF],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

# The language cookie: sent back only to this site's own pages (and only over HTTPS in production).
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", False)

# The admin asks no third party: no Gravatar avatars (they give out a hash of each editor's e-mail)
# and no check for new Wagtail releases (the operator upgrades with pinned requirements).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Log-ins that resist guessing (django-axes): after AXES_FAILURE_LIMIT failed log-ins for one
# account, or from one address, that account or address is locked out for AXES_COOLOFF_TIME
# hours, on every log-in form (Wagtail's admin is the only one). The address is the client's
# behind TRUSTED_PROXY_COUNT proxies (home.clients), as for the public forms' rate limit. A
# successful log-in does not clear an address's failures; administrators unlock with
# ``manage.py axes_reset_username <name>`` / ``axes_reset_ip <address>``.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "home.clients.client_ip"
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

# A mail server that does not answer must not hold a worker (password-reset mail, team e-mails).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The admin's password-reset e-mail is sent by the task queue (teams.accounts).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "teams.accounts.QueuedPasswordResetForm"  # noqa: S105 - a class path
