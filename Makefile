# Mi Barrio: the two set-up commands of README.md, and the steps they are made of.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format install install-dev

## make run: install, migrate the embedded SQLite database, load the demo city, serve on :8000.
run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	@# load_demo is idempotent; on a database with real content it refuses and the portal still starts.
	-$(PY) manage.py load_demo
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

## make test: install what the tests need and run the whole suite (DATABASE_URL picks the database).
test: $(VENV)/.installed-dev node_modules/axe-core/axe.min.js /usr/bin/chromium
	$(VENV)/bin/pytest

## make lint: ruff (check and format) on the Python code, djhtml on the templates; changes nothing.
TEMPLATE_DIRS := templates $(wildcard */templates)
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $(TEMPLATE_DIRS)

## make format: fix what make lint reports that a tool can fix (imports, formatting, indentation).
format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATE_DIRS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Debian's Chromium: run 'sudo apt-get install chromium'" \
		     "(or run the rest with '.venv/bin/pytest -m \"not browser\"')."; exit 1; \
	fi

# axe-core for the accessibility tests, pinned by package-lock.json (needs node and npm).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Leaflet for the interactive maps, pinned by package-lock.json. Production serves it from
# portal/static/vendor/leaflet (committed), so collectstatic needs no npm.
node_modules/leaflet/dist/leaflet.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## make vendor-leaflet: copy Leaflet's built files from node_modules into portal/static/vendor/leaflet
## (then commit them). The source-map comment is dropped: the map is not shipped.
LEAFLET_DIR := portal/static/vendor/leaflet
.PHONY: vendor-leaflet
vendor-leaflet: node_modules/leaflet/dist/leaflet.js
	rm -rf $(LEAFLET_DIR) && mkdir -p $(LEAFLET_DIR)/images
	sed '/^\/\/# sourceMappingURL=/d' node_modules/leaflet/dist/leaflet.js > $(LEAFLET_DIR)/leaflet.js
	cp node_modules/leaflet/dist/leaflet.css $(LEAFLET_DIR)/
	cp node_modules/leaflet/dist/images/*.png $(LEAFLET_DIR)/images/
	cp node_modules/leaflet/LICENSE $(LEAFLET_DIR)/LICENSE
	printf 'Leaflet %s from the npm registry (make vendor-leaflet), BSD 2-Clause licence: see LICENSE.\n' \
		"$$(node -p 'require("./node_modules/leaflet/package.json").version')" > $(LEAFLET_DIR)/VERSION

## make messages: extract the interface strings into locale/<lang>/LC_MESSAGES/django.po (needs GNU
## gettext), fill the English catalog (msgstr = msgid) and compile every catalog to .mo with polib.
## Then translate the new empty Spanish entries (and commit the .po and .mo files).
.PHONY: messages
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es -l en -l ay -l qu -l gn --no-obsolete --no-wrap \
		--ignore=.venv --ignore=tests --ignore=static --ignore=media --ignore=bench --ignore=node_modules
	$(PY) manage.py compile_catalogs --fill-english
