# The two commands: `make run` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FACILITATOR_ENV ?= development
export FACILITATOR_ENV
FLASK := $(BIN)/flask --app facilitator
# The browser tests drive Debian's Chromium (Playwright's own download is not used): installed
# by `make test` when the machine lacks it, as root or through sudo.
CHROMIUM ?= /usr/bin/chromium
# deploy/nginx.conf is checked with Debian's nginx (`nginx -t`, then run in front of the app),
# installed the same way; openssl makes the test's certificate.
NGINX ?= /usr/sbin/nginx

# The address printed in the demo links: one a phone on the same network can open.
ifneq ($(PUBLIC_URL),)
DEMO_URL := $(PUBLIC_URL)
else ifeq ($(HOST),0.0.0.0)
DEMO_URL := http://$(shell hostname):$(PORT)
else
DEMO_URL := http://$(HOST):$(PORT)
endif

# The PDF in Urdu is drawn in Nastaliq: Debian's Noto fonts, installed by `make test` like Chromium.
URDU_FONT ?= /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf
# Each language's catalogue, compiled for the server from the committed .po file.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard facilitator/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test bench install db messages translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

translations: $(CATALOGUES)

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@

db: install translations
	$(FLASK) init-db

run: db
	@if [ "$(FACILITATOR_ENV)" != production ]; then $(FLASK) demo --url $(DEMO_URL); fi
	$(BIN)/python run.py --host $(HOST) --port $(PORT)

test: db $(CHROMIUM) $(NGINX) $(URDU_FONT)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Live fan-out, capacity, `sync` and page weight, beside a bare relay: figures, not pass/fail.
bench: db
	$(BIN)/python -m bench $(BENCH_ARGS)

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y --no-install-recommends chromium \
	|| { $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends chromium; }

$(NGINX):
	@echo "Installing Debian's nginx for the deployment tests"
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y --no-install-recommends nginx openssl \
	|| { $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends nginx openssl; }

$(URDU_FONT):
	@echo "Installing Debian's Noto fonts for PDFs in Urdu"
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y --no-install-recommends fonts-noto-core \
	|| { $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends fonts-noto-core; }

# Collect every translatable string into the catalogue translators start from.
# Then bring each language's catalogue up to date with it (new strings to translate: docs/translating.md).
messages: install
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --output-file facilitator/translations/messages.pot --project facilitator --no-location --sort-output .
	$(BIN)/pybabel update --input-file facilitator/translations/messages.pot --output-dir facilitator/translations --width 100 --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
