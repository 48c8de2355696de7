# Mi Barrio: the two set-up commands of README.md, and the steps they are made of.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-dev

## make run: install, migrate the embedded SQLite database, load the demo city, serve on :8000.
run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	@# load_demo is idempotent; on a database with real content it refuses and the portal still starts.
	-$(PY) manage.py load_demo
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

## make test: install what the tests need and run the whole suite (DATABASE_URL picks the database).
test: $(VENV)/.installed-dev node_modules/axe-core/axe.min.js /usr/bin/chromium
	$(VENV)/bin/pytest

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

## make messages: extract the interface strings into locale/<lang>/LC_MESSAGES/django.po (needs GNU
## gettext), fill the English catalog (msgstr = msgid) and compile every catalog to .mo with polib.
## Then translate the new empty Spanish entries (and commit the .po and .mo files).
.PHONY: messages
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es -l en -l ay -l qu -l gn --no-obsolete --no-wrap \
		--ignore=.venv --ignore=tests --ignore=static --ignore=media --ignore=bench --ignore=node_modules
	$(PY) manage.py compile_catalogs --fill-english
