# CHM Portal — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test check lint format lock demo messages vendor clean help

help:
	@echo "make run   - install, migrate, load demo content and serve on http://$(HOST):$(PORT)/"
	@echo "make test  - install test tools, run checks, lint and the whole test suite"

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: $(VENV)/pyvenv.cfg requirements/base.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements/test.txt
	@touch $@

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

# Links in e-mails and feeds point where the portal is served (unless SITE_URL is set).
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) compile_catalogues
	$(MANAGE) load_demo --if-empty
	$(MANAGE) ensure_admin
	@echo "Demo users (password chm-demo-2026): editor, reviewer1, reviewer2, submitter-fr, submitter-ke, committee1"
	@echo "Portal: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-test
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-frontend.sh
	@bash scripts/ensure-nginx.sh
	@bash scripts/ensure-varnish.sh
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) compile_catalogues
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n 2

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# Extract translatable strings into locale/*/LC_MESSAGES/django.po (needs GNU gettext's xgettext).
messages: install
	$(MANAGE) makemessages --no-obsolete --no-location --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' -l ar -l es -l fr -l ru -l zh_Hans
	$(MANAGE) makemessages --no-obsolete --no-location -d djangojs --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'cms/static/vendor/*' -l ar -l es -l fr -l ru -l zh_Hans

demo: install
	$(MANAGE) load_demo

# Refresh cms/static/vendor/ from the versions pinned in package.json (needs npm).
vendor:
	bash scripts/vendor-frontend.sh

# Re-resolve the locked sets from requirements/*.in (needs network access to the package index).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet -r requirements/base.in
	(echo "# Locked runtime set, resolved from base.in (pip freeze). Regenerate with: make lock"; .lock-venv/bin/pip freeze) > requirements/base.txt
	.lock-venv/bin/pip install --quiet -r requirements/test.in
	(echo "# Locked test set, resolved from test.in (pip freeze). Regenerate with: make lock"; .lock-venv/bin/pip freeze) > requirements/test.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .local
