#!/usr/bin/env bash
# Install everything the book needs and build it (HTML) into _build/html.
# Warnings fail the build (-W, with --keep-going to list them all; -n also reports broken references).
# Usage: bash scripts/build_book.sh   (from any directory)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Use the active virtual environment if there is one; otherwise create / reuse .venv in the repo root.
if [ -n "${VIRTUAL_ENV:-}" ]; then
    PY="$VIRTUAL_ENV/bin/python"
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    PY=.venv/bin/python
fi
BIN="$(dirname "$PY")"

"$PY" -m pip install -q -r requirements.txt
"$PY" -m pip install -q -e . --no-deps

# --all: rebuild every page, so warnings from unchanged pages are reported too.
"$BIN/jupyter-book" build . -W -n --keep-going --all

echo
echo "The book is built: $(pwd)/_build/html/index.html"
