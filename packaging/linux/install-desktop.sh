#!/bin/sh
# Install (or remove) Annotator's desktop integration: the .desktop launcher, the AppStream
# metainfo, the MIME type of project files (*.annot) and the icons, under PREFIX/share.
#
#   install-desktop.sh [--prefix DIR] [--exec COMMAND] [--uninstall]
#
# PREFIX defaults to ~/.local (for you alone; /usr/local for everyone, as root). The launcher
# runs COMMAND: by default the bundle's own executable when this script sits in an unpacked
# bundle (annotator/desktop/install-desktop.sh), else `annotator` from your PATH (pip install).
# Run from a source checkout as `make install-desktop PREFIX=...`.
set -eu

APP_ID=org.annotator.Annotator
SIZES="16 32 48 64 128 256"

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-${HOME}/.local}
exec_command=""
uninstall=0

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "$0"
    exit "$1"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage 2; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --exec) [ $# -ge 2 ] || usage 2; exec_command=$2; shift 2 ;;
        --exec=*) exec_command=${1#--exec=}; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install-desktop.sh: unknown argument: $1" >&2; usage 2 ;;
    esac
done

# Where the files are: beside this script in a bundle (icons/ with it), or in a source checkout.
if [ -d "$here/icons" ]; then
    icons=$here/icons
else
    icons=$here/../../resources/icons
fi
if [ -z "$exec_command" ]; then
    if [ -x "$here/../annotator" ] && [ -f "$here/../annotator" ]; then
        exec_command=$(cd "$here/.." && pwd)/annotator
    else
        exec_command=annotator
    fi
fi

share=$prefix/share
applications=$share/applications
metainfo=$share/metainfo
mime_packages=$share/mime/packages
hicolor=$share/icons/hicolor

refresh() {
    # Caches the desktop reads; each tool is optional, and a failure here is not fatal.
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$share/mime" ]; then
        update-mime-database "$share/mime" || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$applications" ]; then
        update-desktop-database -q "$applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$hicolor" || true
    fi
}

if [ "$uninstall" = 1 ]; then
    rm -f "$applications/$APP_ID.desktop" "$metainfo/$APP_ID.metainfo.xml" \
        "$mime_packages/$APP_ID.xml" "$hicolor/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do
        rm -f "$hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    refresh
    printf "removed Annotator's desktop integration from %s\n" "$share"
    exit 0
fi

# The Exec key quotes the command (desktop entry spec: inside double quotes, escape " ` $ \
# with a backslash; the backslashes are then escaped once more as the key is a string).
quoted=$(printf '%s' "$exec_command" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')
case "$exec_command" in
    *[!A-Za-z0-9_./-]*) exec_value="\"$quoted\"" ;;
    *) exec_value=$exec_command ;;
esac
# The escaped value goes into sed's replacement: escape & | and \ for sed itself.
sed_value=$(printf '%s' "$exec_value" | sed -e 's/[&|\\]/\\&/g')

install -d "$applications" "$metainfo" "$mime_packages" "$hicolor/scalable/apps"
sed "s|^Exec=annotator |Exec=$sed_value |" "$here/$APP_ID.desktop" >"$applications/$APP_ID.desktop"
chmod 644 "$applications/$APP_ID.desktop"
install -m 644 "$here/$APP_ID.metainfo.xml" "$metainfo/$APP_ID.metainfo.xml"
install -m 644 "$here/$APP_ID.mime.xml" "$mime_packages/$APP_ID.xml"
install -m 644 "$icons/$APP_ID.svg" "$hicolor/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
    install -d "$hicolor/${size}x${size}/apps"
    install -m 644 "$icons/$APP_ID-$size.png" "$hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh
printf "installed Annotator's desktop integration in %s (launcher runs: %s)\n" "$share" \
    "$exec_command"
