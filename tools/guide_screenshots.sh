#!/usr/bin/env bash
# Refresh the agent's guide screenshots (docs/images/guide/<lang>/): run the GUI tests that take
# them in a French and an English LibreOffice, then copy what they wrote to test-artifacts/guide/.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q tests/lo/gui/test_guide_screenshots.py
for lang in fr en; do
  mkdir -p "docs/images/guide/$lang"
  cp test-artifacts/guide/"$lang"/*.png "docs/images/guide/$lang/"
done
echo "docs/images/guide updated: review the images, then commit them"
