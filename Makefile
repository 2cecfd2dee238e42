# The README's two commands: `make run` and `make test`. Each prepares what it
# needs first (scripts/bootstrap.sh), so both work on a fresh Debian machine.
#   make run ARGS="--port 9000"      extra arguments for `mixdeck serve`
#   make test ARGS="-k device -x"    extra arguments for pytest (after scripts/check: ruff and mypy)
#   make test WORKERS=0              the tests in this process, one after another (pytest-xdist's -n)

VENV := .venv
ARGS ?=
# Test processes; a test file stays in one of them (its module-wide server is started once).
WORKERS ?= 2

.PHONY: run test bench clean

run:
	bash scripts/bootstrap.sh run
	$(VENV)/bin/mixdeck serve $(ARGS)

test:
	bash scripts/bootstrap.sh test
	bash scripts/check
	$(VENV)/bin/python -m mixdeck.engine.warmup
	$(VENV)/bin/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder $(ARGS)

bench:
	bash scripts/bootstrap.sh run
	$(VENV)/bin/mixdeck bench $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
