#!/usr/bin/env bash
# README command 2: install what is missing, then lint, type-check and run every test layer
# (unit, integration against real model servers, LibreOffice with the built .oxt).
# Extra arguments go to pytest, e.g. `-m unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/ruff check python tests tools benchmarks build.py
.venv/bin/ruff format --check python tests tools benchmarks build.py
.venv/bin/mypy
.venv/bin/mypy --config-file tools/mypy-tests.ini tests tools benchmarks build.py
exec .venv/bin/python -m pytest "$@"
