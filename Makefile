# Two commands for a new user: `make run` (set up and serve the demo) and `make test` (everything).
# Every step is guarded by a stamp file, so the second run only does what changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
ASSETS_STAMP := build/.govuk-assets
# Where `make run` serves the demo (`make run ADDRESS=0.0.0.0:8000`); load_demo prints the same.
ADDRESS ?= 127.0.0.1:8000
GOVUK := node_modules/govuk-frontend/dist/govuk

# The family pages' translations: compiled from the .po files kept in git (never the .mo files).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test lint security assets messages system

# The demo's emails (survey reminders) are written as files to var/mail: no mail server is
# assumed. Set EMAIL_BACKEND (and EMAIL_HOST, ...) to send them for real.
run: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export EMAIL_FILE_PATH ?= var/mail
# The demo's fictional people sign in with the printed password alone, so that trying it needs no
# phone. Every other way of running the service asks for an authenticator code (ADR 0016).
run: export FF_REQUIRE_TWO_FACTOR ?= false

run: system $(RUN_STAMP) assets
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo --address $(ADDRESS)
	$(BIN)/python manage.py runserver $(ADDRESS)

test: system $(TEST_STAMP) assets
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory security
	@echo "== Test suite on SQLite"
	@# Moving a pilot to PostgreSQL is tested in this pass too, on DATABASE_URL's server (or on
	@# the local one CI starts, when it is not set).
	DATABASE_URL= FF_TEST_POSTGRESQL_URL="$${FF_TEST_POSTGRESQL_URL:-$$DATABASE_URL}" $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== Test suite on PostgreSQL"; $(BIN)/pytest; \
	elif [ "$$REQUIRE_POSTGRES" = "1" ]; then \
		echo "REQUIRE_POSTGRES=1 but DATABASE_URL is not set"; exit 1; \
	else \
		echo "== PostgreSQL pass skipped: set DATABASE_URL=postgres://... to run it"; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# Security checks, part of make test (a few seconds each).
# bandit: our package, failing on a finding of medium severity or above; the settings and the
# low findings' review are in pyproject.toml. Its "nosec encountered ... but no failed test"
# warnings are a known bandit bug (PyCQA/bandit#942, #1041), not findings.
# pip-audit: every installed package against a vulnerability database, failing on a known
# vulnerability. A database counts as reachable only if it knows Django 3.2.0's published
# vulnerabilities: a package mirror that answers "not found" for every release, or no network,
# would otherwise pass as "No known vulnerabilities found" having checked nothing.
AUDIT_PROBE := var/pip-audit-probe.txt
AUDIT := $(BIN)/pip-audit --progress-spinner off --timeout 15
security: $(TEST_STAMP)
	$(BIN)/bandit -c pyproject.toml -r familyfeedback -q --severity-level medium
	@mkdir -p var && echo "django==3.2.0" > $(AUDIT_PROBE); \
	for service in pypi osv; do \
		if timeout 60 $(AUDIT) -s $$service -r $(AUDIT_PROBE) --no-deps --disable-pip -f json \
				2>/dev/null | grep -q '"vulns": \[{'; then \
			echo "$(AUDIT) -s $$service --skip-editable"; \
			$(AUDIT) -s $$service --skip-editable; exit $$?; \
		fi; \
	done; \
	echo "pip-audit: no vulnerability database reachable (PyPI's JSON API knows no release," \
		"OSV does not answer); skipped"

assets: $(ASSETS_STAMP) $(MESSAGES)

# Babel, not GNU gettext: pure Python, and its extractor reads the Jinja2 templates.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(RUN_STAMP)
	$(BIN)/pybabel -q compile -D django -d locale -l $*

# After changing a family page's text: gather its strings and add the new ones to each .po file,
# for a translator to fill in.
messages: $(RUN_STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --project "Family Feedback" \
		-o var/django.pot .
	$(BIN)/pybabel -q update -D django -d locale -i var/django.pot --no-fuzzy-matching

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $(RUN_STAMP) $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# GOV.UK Frontend's compiled CSS, JavaScript, fonts and images, where Django's static files app
# finds them (see STATICFILES_DIRS).
$(ASSETS_STAMP): node_modules/.package-lock.json
	rm -rf build/govuk && mkdir -p build/govuk
	cp -R $(GOVUK)/assets/. build/govuk/
	cp $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.js build/govuk/
	@touch $@

# The Debian libraries WeasyPrint draws the evaluation report's PDF with; pdftotext, with
# which the tests read that PDF back; pg_dump and pg_restore, with which `backup` and `restore`
# copy a PostgreSQL database. Installed when missing (as root, as on these machines and in CI);
# anyone else is told the one command to run.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	poppler-utils postgresql-client
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "Please install: sudo apt-get install $$missing"; exit 1; \
		fi; \
	fi
