# The README's two commands: `make run` and `make test`. Each prepares what it
# needs first (scripts/bootstrap.sh), so both work on a fresh Debian machine.
#   make run ARGS="--port 9000"      extra arguments for `mixdeck serve`
#   make test ARGS="-k device -x"    extra arguments for pytest (after scripts/check: ruff and mypy)

VENV := .venv
ARGS ?=

.PHONY: run test bench clean

run:
	bash scripts/bootstrap.sh run
	$(VENV)/bin/mixdeck serve $(ARGS)

test:
	bash scripts/bootstrap.sh test
	bash scripts/check
	$(VENV)/bin/python -m pytest $(ARGS)

bench:
	bash scripts/bootstrap.sh run
	$(VENV)/bin/mixdeck bench $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
