#!/usr/bin/env bash
# Install the workstation into ./.venv on a Debian machine (Python >= 3.11).
#   bash scripts/setup.sh          # the app
#   bash scripts/setup.sh server   # the app and the server (+ keyrings.alt for a headless login)
#   bash scripts/setup.sh test     # the app, the server and the test tools
# Installs the few Debian packages Qt and venv need when they are missing (via sudo
# when not root), then pip-installs the project in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
# Shared libraries PySide6's wheels load: offscreen, and the xcb platform of a desktop
# session or Xvfb (Qt >= 6.5 refuses to start xcb without libxcb-cursor0).
for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
           libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
           libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$extra" = "test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
elif [ "$extra" = "server" ]; then
  .venv/bin/python -m pip install -q -e ".[server,headless]"
elif [ -n "$extra" ]; then
  echo "setup: unknown option '$extra' (none, server or test)" >&2
  exit 2
else
  .venv/bin/python -m pip install -q -e .
fi
echo "setup: ready (.venv)"
