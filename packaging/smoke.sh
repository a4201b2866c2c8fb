#!/usr/bin/env bash
# Smoke test of a built workstation: the bundle (dist/workstation) or an installed copy
# (/opt/workstation after `dpkg -i`), run as a user would on a machine without Python.
#
#   bash packaging/smoke.sh DIST_DIR
#
# Every command runs from a clean environment: `env -i`, PATH=/usr/bin:/bin, a temporary
# HOME, no venv. Steps: --version; make-slide; open --goto --screenshot offscreen (the
# PNG must equal the development install's, byte for byte); demo --no-gui; the GUI
# starts and stays up; server starts and answers /server/ping; server add-user; an
# import/export round trip; login + sync of a local project to that server and a pull
# into a second data dir. Exits 1 when any step fails, 2 on bad usage.
#
# The development install that makes the reference screenshot: $WORKSTATION_DEV (a
# command, e.g. "env PYTHONPATH=$PWD .venv/bin/python -m desktop_app.cli"), else this
# checkout's .venv/bin/workstation. SMOKE_KEEP=1 keeps the temporary directory.
set -uo pipefail
[ $# -eq 1 ] && [ -x "$1/workstation" ] || { echo "usage: smoke.sh DIST_DIR (containing the workstation executable)" >&2; exit 2; }
dist=$(cd "$1" && pwd)
exe=$dist/workstation
repo=$(cd "$(dirname "$0")/.." && pwd)
dev=${WORKSTATION_DEV:-}
if [ -z "$dev" ] && [ -x "$repo/.venv/bin/workstation" ]; then dev="$repo/.venv/bin/workstation"; fi
[ -n "$dev" ] || { echo "smoke: no development install for the reference screenshot (set WORKSTATION_DEV)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/workstation-smoke.XXXXXX)
home=$tmp/home && mkdir -p "$home"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM -- "-$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then echo "smoke: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap "exit 1" INT TERM

# The built app in a clean environment (the keyring: keyrings.alt's file, bundled).
ws() {
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 \
    PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring "$exe" "$@"
}
failed=0
# step NAME COMMAND...: run, time, report; the output stays in $tmp/NAME.{out,err}.
step() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  if "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$tmp/$name.time"
    printf 'smoke: ok   %-26s %7s s\n' "$name" "$(cat "$tmp/$name.time")"
  else
    printf 'smoke: FAIL %s\n' "$name"
    tail -n 15 "$tmp/$name.err" "$tmp/$name.out" 2>/dev/null | sed 's/^/    /'
    failed=1
  fi
}
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

# --- the app alone ---------------------------------------------------------------------
check_version() { ws --version | grep -Eqx 'workstation [0-9]+\.[0-9]+\.[0-9]+.*'; }
step version check_version

slide=$tmp/slide.tiff
step make-slide ws --data-dir "$tmp/a" make-slide "$slide" --width 6000 --height 4000 --seed 3

view=(open "$slide" --goto 3000,2000,4 --size 640x480 --screenshot)
shoot_built() {
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "$exe" --data-dir "$tmp/shot" "${view[@]}" "$tmp/built.png"
}
shoot_dev() { QT_QPA_PLATFORM=offscreen $dev --data-dir "$tmp/shot-dev" "${view[@]}" "$tmp/dev.png"; }
same_png() { cmp "$tmp/built.png" "$tmp/dev.png" && [ -s "$tmp/built.png" ]; }
step screenshot-built shoot_built
step screenshot-development shoot_dev
step screenshot-identical same_png

step demo ws --data-dir "$tmp/demo" demo --no-gui
# The GUI on the demo (offscreen): the Qt application comes up (its platform plugin is
# loaded), the window is still there 5 s later, and nothing went wrong on stderr.
gui_stays_up() {
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "$exe" --data-dir "$tmp/demo" demo >"$tmp/gui.log" 2>&1 &
  local pid=$! up=0
  for _ in $(seq 240); do
    grep -q libqoffscreen "/proc/$pid/maps" 2>/dev/null && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  [ "$up" -eq 1 ] && sleep 5
  local alive=0
  kill -0 "$pid" 2>/dev/null && alive=1
  kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  cat "$tmp/gui.log"
  [ "$up" -eq 1 ] && [ "$alive" -eq 1 ] && ! grep -Eq 'Traceback|unexpected error' "$tmp/gui.log"
}
step gui gui_stays_up

# --- import / export round trip ----------------------------------------------------------
cat >"$tmp/in.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[500, 500], [1500, 500], [1500, 1200], [500, 1200], [500, 500]]]},
  "properties": {"objectType": "annotation", "classification": {"name": "Tumor", "color": [229, 57, 53]}}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2500, 1800]},
  "properties": {"objectType": "annotation", "classification": {"name": "Lymphocytes", "color": [30, 136, 229]}}}
]}
JSON
without_ids() { sed -E 's/"id": "[^"]*", //g' "$1"; }
round_trip() {
  ws --data-dir "$tmp/a" import "$slide" "$tmp/in.geojson" &&
    ws --data-dir "$tmp/a" export "$slide" "$tmp/out1.geojson" &&
    ws --data-dir "$tmp/a2" import "$slide" "$tmp/out1.geojson" &&
    ws --data-dir "$tmp/a2" export "$slide" "$tmp/out2.geojson" &&
    [ "$(grep -o '"classification"' "$tmp/out1.geojson" | wc -l)" -eq 2 ] &&
    diff <(without_ids "$tmp/out1.geojson") <(without_ids "$tmp/out2.geojson")
}
step import-export round_trip

# --- the server, and sync against it -----------------------------------------------------
port=$(free_port) || { echo "smoke: no free port" >&2; exit 1; }
base=http://127.0.0.1:$port
setsid env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 \
  "$exe" --data-dir "$tmp/server" server --port "$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
ping_server() {
  # Up to 3 minutes: on a loaded CI machine the start (imports, migrations) took over one.
  for _ in $(seq 360); do
    curl -fsS "$base/server/ping" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; return 1; }
    sleep 0.5
  done
  echo "no answer on $base/server/ping; the server's output:" >&2
  cat "$tmp/server.log" >&2
  return 1
}
step server-ping ping_server
step add-user ws --data-dir "$tmp/server" server add-user alice --role user
key() { sed -nE "s/.*\"$1\": *\"([^\"]+)\".*/\\1/p" "$tmp/add-user.out" | head -n 1; }
login() { ws --data-dir "$1" login --server "$base" --public-key "$(key publicKey)" --private-key "$(key privateKey)"; }
push() {
  login "$tmp/a" && ws --data-dir "$tmp/a" sync --project "Local slides" --json &&
    grep -Eq '"pushed": [1-9]' "$tmp/sync-push.out"
}
step sync-push push
pull() {
  login "$tmp/b" && ws --data-dir "$tmp/b" sync --json &&
    ws --data-dir "$tmp/b" images --json | grep -q '"annotations": 2'
}
step sync-pull pull

if [ "$failed" -ne 0 ]; then
  echo "smoke: FAILED ($dist)"
  exit 1
fi
echo "smoke: all steps passed ($dist); --version $(cat "$tmp/version.time") s, start to complete viewport PNG $(cat "$tmp/screenshot-built.time") s"
