#!/usr/bin/env bash
# Install everything and run all checks: pytest for the package and the book, then nbval over every notebook
# (each notebook is run top to bottom and its outputs are compared with the stored ones).
# Usage: bash scripts/test.sh   (from any directory)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Use the active virtual environment if there is one; otherwise create / reuse .venv in the repo root.
if [ -n "${VIRTUAL_ENV:-}" ]; then
    PY="$VIRTUAL_ENV/bin/python"
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    PY=.venv/bin/python
fi

"$PY" -m pip install -q -r requirements.txt
"$PY" -m pip install -q -e . --no-deps

"$PY" -m pytest tests
# --nbval-sanitize-with is the current name of nbval's --sanitize-with (which is deprecated).
# HF_HUB_OFFLINE: the GPT-2 appendix stores the outputs of its offline path (CI has no internet); a machine
# with GPT-2 in its Hugging Face cache would otherwise load the real weights and print different text.
HF_HUB_OFFLINE=1 "$PY" -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
