#!/usr/bin/env bash
# README command 1: install what is missing, build Plume, and run it on a sample letter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/python tools/demo.py "$@"
