# The two commands a fresh machine needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
MUXIANG := $(VENV)/bin/muxiang
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench clean

$(PY):
	python3 -m venv $(VENV)

# Re-install only when the project's dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(MUXIANG) compilemessages --ignore='.venv/*' -v 0

run: install
	$(MUXIANG) migrate --no-input -v 0
	$(MUXIANG) collectstatic --no-input -v 0
	$(MUXIANG) demo
	$(MUXIANG) ensureadmin
	@# The background worker (dossiers, label sheets, ministry pushes) runs next to the web server
	@# and stops with it.
	$(MUXIANG) run_huey --quiet --logfile var/worker.log & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MUXIANG) runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest -n 2 -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MUXIANG) makemigrations --check --dry-run

bench: install
	$(PY) bench/import_people.py

clean:
	rm -rf $(VENV) var
