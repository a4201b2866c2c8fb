#!/usr/bin/env bash
# CI: build the bundle, the .deb and the .tar.gz, then smoke-test the bundle as a user on
# a machine without Python would run it. Called by .ci/run after the test suite:
#   bash packaging/ci.sh
# Needs the test setup (`bash scripts/setup.sh test`: .venv with the server extra); the
# pinned PyInstaller is installed into .venv on first use. Build 5-15 minutes and smoke
# 4-7 minutes on 2 cores, depending on the load (docs/performance.md, "Packaging").
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash packaging/build.sh
bash packaging/smoke.sh dist/workstation
echo "ci: packaging build + smoke in $(($(date +%s) - start)) s"
