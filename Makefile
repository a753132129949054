# gongjiang — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: demo serve install test lint bench clean-var prod-check backup restore

$(STAMP): requirements/dev.txt requirements/bootstrap.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip -q
	@test -x $(UV) || $(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements/bootstrap.txt
	$(UV) pip sync -q --python $(PY) requirements/dev.txt
	$(UV) pip install -q --python $(PY) --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(PY) -m gongjiang.core.secrets_file var/secrets.env
	$(VENV)/bin/gongjiang migrate --noinput -v 0
	$(VENV)/bin/gongjiang demo_load
	@echo "访问地址: http://127.0.0.1:8000/  （API 文档: http://127.0.0.1:8000/api/docs）"
	$(VENV)/bin/gongjiang runserver 127.0.0.1:8000 --noreload

test: $(STAMP)
	$(PY) scripts/run_tests.py

lint: $(STAMP)
	$(PY) scripts/run_tests.py --only lint,format,mypy,check,migrations

# The production stack (gunicorn ×2 + db_worker) on local PostgreSQL and Redis, checked over HTTP.
prod-check: $(STAMP)
	$(PY) scripts/prod_check.py

# Database + uploaded files into var/backups/<time>/ (or OUT=dir); settings from the environment.
backup: $(STAMP)
	$(VENV)/bin/gongjiang backup $(if $(OUT),--out $(OUT),)

# Replace the database and uploaded files with a backup: make restore FROM=var/backups/<time>
restore: $(STAMP)
	@test -n "$(FROM)" || { echo "用法：make restore FROM=备份目录" >&2; exit 2; }
	$(VENV)/bin/gongjiang restore $(FROM)

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean-var:
	rm -rf var
