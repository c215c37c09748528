# SRO Academy: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed

.PHONY: run test install db translations lint check-courses clean

run: install translations db
	@$(FLASK) demo logins
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install translations
	$(FLASK) courses check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

translations: install
	$(BIN)/pybabel compile --statistics -d portal/translations

db: install
	$(FLASK) db upgrade
	$(FLASK) courses load
	$(FLASK) certificates new-key --if-missing
	$(FLASK) demo load

# After changing marked strings: extract them and merge them into the catalogues.
messages: install
	$(BIN)/pybabel extract --width 88 -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o portal/messages.pot .
	$(BIN)/pybabel update --width 88 -i portal/messages.pot -d portal/translations
	$(BIN)/python portal/translations/fill_english.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance .pytest_cache
