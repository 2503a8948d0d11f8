#!/usr/bin/env bash
# `make dist`: build the one-folder desktop bundle dist/annotator/ and its tarball
# dist/annotator-VERSION-linux-ARCH.tar.gz, then smoke-test the tarball (packaging/smoke.sh).
#
# The build venv (build/dist-venv, separate from the dev .venv) holds Annotator installed
# non-editable with the `dist` extra (PyInstaller) and nothing else, so only runtime
# dependencies can end up in the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${DIST_VENV:-build/dist-venv}
APP_ID=org.annotator.Annotator
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -n 1)
name=annotator-$version-linux-$(uname -m)
started=$(date +%s)
step() { echo "dist: $* [$(($(date +%s) - started)) s]"; }

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
# setuptools stages the wheel in build/lib: clear it so no module deleted since can slip in.
rm -rf build/lib build/bdist.*
"$VENV/bin/python" -m pip install --quiet '.[dist]'
step "annotator $version and PyInstaller installed in $VENV"

rm -rf dist/annotator "dist/$name.tar.gz"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/annotator.spec
step "PyInstaller built dist/annotator"

# Desktop integration beside the executable: annotator/desktop/install-desktop.sh.
desktop=dist/annotator/desktop
mkdir -p "$desktop/icons"
cp packaging/linux/install-desktop.sh packaging/linux/$APP_ID.desktop \
    packaging/linux/$APP_ID.metainfo.xml packaging/linux/$APP_ID.mime.xml "$desktop/"
cp resources/icons/$APP_ID.svg resources/icons/$APP_ID-*.png "$desktop/icons/"
cp README.md CHANGELOG.md dist/annotator/

tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -czf "dist/$name.tar.gz" annotator
step "dist/$name.tar.gz: $(du -sh dist/annotator | cut -f1) unpacked," \
    "$(du -sh "dist/$name.tar.gz" | cut -f1) packed"

bash packaging/smoke.sh "dist/$name.tar.gz"
step "done"
