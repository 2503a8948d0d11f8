#!/bin/sh
# Validate the desktop integration with the freedesktop tools, as CI does (.ci/run):
#   desktop-file-validate          (Debian: desktop-file-utils)
#   appstreamcli validate --no-net (Debian: appstream)
#   update-mime-database           (Debian: shared-mime-info)
# then install it into a temporary prefix, validate the installed tree (its launcher runs a
# path with a space, as an unpacked bundle's may) and check that the MIME database built from
# it names a project file by its content alone (needs gio, from libglib2.0-bin; skipped without).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
APP_ID=org.annotator.Annotator
TYPE=application/x-annotator-project

for tool in desktop-file-validate appstreamcli update-mime-database; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "validate.sh: $tool is missing (apt-get install desktop-file-utils appstream" \
            "shared-mime-info)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "== desktop-file-validate $APP_ID.desktop"
desktop-file-validate "$here/$APP_ID.desktop"

echo "== appstreamcli validate --no-net $APP_ID.metainfo.xml"
appstreamcli validate --no-net "$here/$APP_ID.metainfo.xml"

echo "== install-desktop.sh into a temporary prefix"
prefix=$tmp/prefix
sh "$here/install-desktop.sh" --prefix "$prefix" --exec "$tmp/un packed/annotator/annotator" \
    >/dev/null 2>&1
desktop-file-validate "$prefix/share/applications/$APP_ID.desktop"
appstreamcli validate-tree --no-net "$prefix"

echo "== shared-mime-info: $TYPE"
test -f "$prefix/share/mime/application/x-annotator-project.xml" || {
    echo "validate.sh: update-mime-database did not register $TYPE" >&2
    exit 1
}
grep -q "\*\.annot" "$prefix/share/mime/globs2" || {
    echo "validate.sh: the glob *.annot is not in the MIME database" >&2
    exit 1
}
if command -v gio >/dev/null 2>&1; then
    # A project's header: "SQLite format 3\0", then application_id "ANNT" at offset 68.
    {
        printf 'SQLite format 3\000'
        head -c 52 /dev/zero
        printf 'ANNT'
        head -c 4024 /dev/zero
    } >"$tmp/project-without-extension"
    {
        printf 'SQLite format 3\000'
        head -c 4080 /dev/zero
    } >"$tmp/other-database"
    detect() {
        XDG_DATA_HOME=$prefix/share XDG_DATA_DIRS=/usr/share gio info \
            -a standard::content-type "$1" 2>/dev/null | sed -n 's/.*content-type: //p'
    }
    project_type=$(detect "$tmp/project-without-extension")
    other_type=$(detect "$tmp/other-database")
    echo "a project without extension: $project_type; another SQLite file: $other_type"
    if [ "$project_type" != "$TYPE" ] || [ "$other_type" = "$TYPE" ]; then
        echo "validate.sh: content sniffing does not tell projects from other SQLite files" >&2
        exit 1
    fi
else
    echo "(gio not installed: content sniffing not checked)"
fi
echo "desktop integration: valid"
