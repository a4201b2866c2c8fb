#!/usr/bin/env bash
# Build the workstation as an application that needs no Python (Debian, x86_64 or arm64):
#   dist/workstation/                               one-folder bundle (PyInstaller)
#   dist/slide-workstation_<version>_<arch>.deb     /opt/workstation, /usr/bin/workstation
#   dist/workstation-<version>-linux-<arch>.tar.gz  the bundle, to unpack anywhere
#
#   bash packaging/build.sh
#
# PYTHON selects the build interpreter (default: ./.venv/bin/python, as made by
# `bash scripts/setup.sh test`); the pinned PyInstaller of pyproject's `packaging` extra
# is installed into it when missing. DIST_DIR / BUILD_DIR move dist/ and build/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
dist=${DIST_DIR:-$repo/dist}
work=${BUILD_DIR:-$repo/build}
export PYTHONPATH=$repo  # this checkout's desktop_app, whatever the venv has installed
cd "$repo"
start=$(date +%s)
say() { echo "build: $*"; }

[ -x "$python" ] || { echo "build: no Python at $python (run scripts/setup.sh test, or set PYTHON)" >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "build: dpkg-deb is missing (a Debian system is needed)" >&2; exit 2; }

# The pinned build tools (the `packaging` extra, minus the app itself).
mapfile -t tools < <("$python" - <<'PY'
import tomllib
extra = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["packaging"]
print("\n".join(r for r in extra if not r.startswith("desktop_app")))
PY
)
if ! "$python" - "${tools[@]}" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement
for spec in sys.argv[1:]:
    req = Requirement(spec)
    try:
        ok = version(req.name) in req.specifier
    except PackageNotFoundError:
        ok = False
    if not ok:
        sys.exit(1)
import fastapi, uvicorn, psycopg  # the server must be bundled too
PY
then
  say "installing the build tools: ${tools[*]} (and the server extra)"
  "$python" -m pip install -q "${tools[@]}" fastapi 'uvicorn[standard]' python-multipart 'psycopg[binary]'
fi

version=$("$python" -c 'import desktop_app; print(desktop_app.__version__)')
arch=$(dpkg --print-architecture)
app_id=$("$python" -c 'from desktop_app.assets import APP_ID; print(APP_ID)')
bundle=$dist/workstation

say "PyInstaller $("$python" -m PyInstaller --version) -> $bundle"
rm -rf "$bundle"
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work/pyinstaller" packaging/workstation.spec

# Strip debug symbols, except from what auditwheel patched (a RUNPATH into a wheel's
# *.libs directory, and those libraries themselves): strip breaks their ELF layout
# ("ELF load command address/offset not page-aligned": NumPy's OpenBLAS then fails to
# load). PyInstaller puts the grafted libraries at the top of _internal, not in a
# *.libs folder, so they are recognised by auditwheel's name: a hash of 8 hex digits.
find "$bundle/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' -print0 \
  | while IFS= read -r -d '' f; do
      [[ $(basename "$f") =~ -[0-9a-f]{8}[.-] ]] && continue
      readelf -d "$f" 2>/dev/null | grep -Eq '(RUNPATH|RPATH).*\.libs' && continue
      strip --strip-unneeded "$f" 2>/dev/null || true
    done

# What the smoke test would otherwise find first: NumPy (and its OpenBLAS) loads.
"$bundle/workstation" make-slide "$work/check.svs" --width 600 --height 400 >/dev/null \
  || { echo "build: the bundle cannot make a slide (NumPy or OpenSlide broken)" >&2; exit 1; }

# Licences: our notice and the LGPL/GPL texts, then every bundled distribution's own.
mkdir -p "$bundle/licenses"
cp resources/licenses/* "$bundle/licenses/"
"$python" packaging/collect_licenses.py "$bundle/licenses"

"$bundle/workstation" --version >/dev/null || { echo "build: the bundle does not start" >&2; exit 1; }
frozen=$(date +%s)

# The system libraries the bundle still loads (PyInstaller leaves libc, GL, X11/xcb,
# fontconfig, … to the system): their Debian packages become the .deb's Depends.
mapfile -t deps < <(
  find "$bundle" -type f \( -name '*.so*' -o -name workstation \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u \
    | grep -v "^$bundle/" \
    | while read -r lib; do
        [ -e "$bundle/_internal/$(basename "$lib")" ] && continue  # bundled: ldd saw the system copy
        dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true
      done \
    | cut -d: -f1 | sort -u
)
# Qt's xcb platform plugin dlopen()s these (not visible to ldd): as scripts/setup.sh.
deps+=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
       libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
       libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
depends=$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g')

say "slide-workstation_${version}_${arch}.deb"
root=$work/deb/root
rm -rf "$root" && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" \
  "$root/usr/share/applications" "$root/usr/share/metainfo" "$root/usr/share/doc/slide-workstation"
cp -a "$bundle" "$root/opt/workstation"
ln -s /opt/workstation/workstation "$root/usr/bin/workstation"
cp "resources/linux/$app_id.desktop" "$root/usr/share/applications/"
cp "resources/linux/$app_id.metainfo.xml" "$root/usr/share/metainfo/"
mkdir -p "$root/usr/share/icons" && cp -a resources/icons/hicolor "$root/usr/share/icons/"
cat > "$root/usr/share/doc/slide-workstation/copyright" <<TXT
Slide Workstation $version
Third-party components and their licences: /opt/workstation/licenses/
(THIRD-PARTY-NOTICES.md lists them; each bundled library's own licence files are beside it).
TXT
cat > "$root/DEBIAN/control" <<TXT
Package: slide-workstation
Version: $version
Architecture: $arch
Maintainer: Slide Workstation developers <workstation@localhost>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: $depends
Section: science
Priority: optional
Homepage: https://github.com/cytomine
Description: slide annotation workstation for digital pathology
 A whole-slide viewer (every format OpenSlide reads), annotation tools, ontology
 terms and review mode on an offline-first local cache that syncs with a
 Cytomine-compatible server; the server itself is included (workstation server).
 Self-contained: Python, Qt and OpenSlide are bundled under /opt/workstation.
TXT
cat > "$root/DEBIAN/postinst" <<'TXT'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
fi
TXT
cp "$root/DEBIAN/postinst" "$root/DEBIAN/postrm" && sed -i 's/= configure/= remove/' "$root/DEBIAN/postrm"
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
deb=$dist/slide-workstation_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz -z2 --threads-max=2 --build "$root" "$deb" >/dev/null

say "workstation-$version-linux-$arch.tar.gz"
tarball=$dist/workstation-$version-linux-$arch.tar.gz
tar -C "$dist" -czf "$tarball" workstation
rm -rf "$work/deb"

end=$(date +%s)
say "done in $((end - start)) s (PyInstaller $((frozen - start)) s)"
say "bundle $(du -sm "$bundle" | cut -f1) MB unpacked; .deb $(du -m "$deb" | cut -f1) MB; .tar.gz $(du -m "$tarball" | cut -f1) MB"
