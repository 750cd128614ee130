#!/bin/sh
# Regenerates deploy/requirements.lock: every package the image installs, pinned, with the sha256 of
# every file PyPI has for that version (so the same lock serves amd64 and arm64). Run it after changing
# the dependencies in pyproject.toml; tests/unit/deploy/test_lock.py fails until you do.
#   deploy/lock.sh               keep the pins that still satisfy pyproject.toml, add what is new
#   deploy/lock.sh --upgrade     move every pin to the newest allowed release
set -eu
cd "$(dirname "$0")/.."
exec .venv/bin/uv pip compile pyproject.toml deploy/build-requirements.in --universal --python-version 3.11 \
    --generate-hashes --custom-compile-command "deploy/lock.sh" -o deploy/requirements.lock "$@"
