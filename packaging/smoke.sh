#!/usr/bin/env bash
# Smoke-test a built bundle: packaging/smoke.sh dist/annotator-VERSION-linux-ARCH.tar.gz
# (or an unpacked dist/annotator folder). The last step of `make dist`, so run in CI.
#
# A tarball is unpacked into a folder whose path has a space. Everything runs with a clean
# environment whose HOME and XDG folders are in a temporary folder (no user data is read or
# touched) under QT_QPA_PLATFORM=offscreen:
#   - `annotator --version` prints pyproject.toml's version (package metadata in the bundle);
#   - `annotator --screenshot OUT.png` opens the sample project on first run (sample article,
#     Alembic migrations), renders the main window and exits 0;
#   - the command line imports one file of each article format from tests/fixtures (trafilatura,
#     python-docx, pypdf, Markdown, charset detection), exports every format but spaCy's (not in
#     the bundle, which must say so in one line) and imports the exports back;
#   - the HTML and PDF reports are written (WeasyPrint in the bundle, Pango from the system);
#   - a server project (PostgreSQL URL) is tried through the bundled psycopg;
#   - the bundle's desktop/install-desktop.sh installs a launcher that runs the bundle.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: packaging/smoke.sh BUNDLE.tar.gz|BUNDLE_DIR}
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$root/pyproject.toml" | head -n 1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
    echo "smoke: FAILED: $*" >&2
    exit 1
}

if [ -f "$target" ]; then
    mkdir -p "$tmp/un packed"
    tar -xzf "$target" -C "$tmp/un packed"
    bundle="$tmp/un packed/annotator"
else
    bundle=$(cd "$target" && pwd)
fi
exe="$bundle/annotator"
[ -x "$exe" ] || fail "$exe is missing or not executable"

home=$tmp/home
mkdir -p "$home"
run() {
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$home" \
        XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
        XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state" \
        XDG_RUNTIME_DIR="$tmp/runtime" QT_QPA_PLATFORM=offscreen "$exe" "$@"
}
mkdir -m 700 "$tmp/runtime"
start=$(date +%s)

# 1. The version, from the bundled package metadata.
out=$(run --version)
[ "$out" = "annotator $version" ] || fail "--version printed '$out', expected 'annotator $version'"
echo "smoke: $out"

# 2. First run: the sample project, the window rendered offscreen.
run --screenshot "$tmp/window.png" 2>"$tmp/gui.err" || {
    cat "$tmp/gui.err" >&2
    fail "--screenshot exited non-zero"
}
[ "$(head -c 8 "$tmp/window.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "--screenshot wrote no PNG"
[ "$(wc -c <"$tmp/window.png")" -gt 20000 ] || fail "the screenshot is suspiciously small"
sample=$(find "$home" -name 'Sample project.annot' | head -n 1)
[ -n "$sample" ] || fail "no sample project was created in the temporary data folder"
run info "$sample" >"$tmp/info.txt" || fail "annotator info on the sample project"
grep -q "Cambodia" "$tmp/info.txt" || fail "the sample project has no sample article"
for size in 16 32 48 64 128 256; do
    find "$bundle" -name "org.annotator.Annotator-$size.png" | grep -q . ||
        fail "the ${size}px icon is not in the bundle"
done
for file in annotator-project.schema.json script.py.mako env.py 0001_initial.py; do
    find "$bundle" -name "$file" | grep -q . || fail "$file is not in the bundle"
done
echo "smoke: window rendered with the sample project ($(wc -c <"$tmp/window.png") bytes PNG)"

# 3. Every importer and exporter is in the bundle (they are loaded by name).
project=$tmp/smoke.annot
articles=()
for name in news-page.html table.docx two-pages.pdf article.md cp1252-quotes.txt; do
    [ -f "$root/tests/fixtures/$name" ] && articles+=("$root/tests/fixtures/$name")
done
run import "$project" "${articles[@]}" "$root/resources/cambodia-tier2.txt" >"$tmp/import.txt" ||
    { cat "$tmp/import.txt" >&2; fail "annotator import of the article fixtures"; }
echo "smoke: imported $(grep -c '^imported:' "$tmp/import.txt") articles"

formats=$(run export --help | tr -d ' \n' | sed -n 's/.*--format{\([a-z0-9_,-]*\)}.*/\1/p')
[ -n "$formats" ] || fail "could not read the export formats from 'annotator export --help'"
exported=()
for format in ${formats//,/ }; do
    if [ "$format" = spacy ]; then
        if run export "$project" --format spacy -o "$tmp/export.spacy" 2>"$tmp/spacy.err"; then
            fail "the spacy export worked, so spaCy is in the bundle: exclude it"
        fi
        grep -q "^annotator: error: .*spaCy" "$tmp/spacy.err" ||
            fail "the spacy export did not fail with one clear line: $(cat "$tmp/spacy.err")"
        continue
    fi
    run export "$project" --format "$format" -o "$tmp/export-$format" 2>"$tmp/export.err" ||
        { cat "$tmp/export.err" >&2; fail "annotator export --format $format"; }
    [ -e "$tmp/export-$format" ] || fail "annotator export --format $format wrote nothing"
    exported+=("$format")
done
echo "smoke: exported ${exported[*]}"

cp "$tmp/export-json" "$tmp/export.json"
cp "$tmp/export-qdpx" "$tmp/export.qdpx"
run import "$tmp/roundtrip.annot" "$tmp/export.json" >/dev/null ||
    fail "importing the json export back"
run import "$tmp/roundtrip-qdpx.annot" "$tmp/export.qdpx" "$tmp/export-brat" >/dev/null ||
    fail "importing the qdpx and brat exports back"
echo "smoke: imported the json, qdpx and brat exports back"
# The reports: HTML, and PDF through the bundled WeasyPrint (Pillow, its CSS) and the system's
# Pango; the PDF's text layer holds the article's words.
run report "$project" -o "$tmp/report.html" 2>"$tmp/report.err" ||
    { cat "$tmp/report.err" >&2; fail "annotator report -o report.html"; }
run report "$project" -o "$tmp/report.pdf" 2>"$tmp/report.err" ||
    { cat "$tmp/report.err" >&2; fail "annotator report -o report.pdf"; }
head -c 5 "$tmp/report.pdf" | grep -q "%PDF-" || fail "report.pdf is not a PDF"
if command -v pdftotext >/dev/null; then
    pdftotext "$tmp/report.pdf" "$tmp/report.txt"  # (grep -q in a pipe would cut it short)
    grep -q "Trafficking" "$tmp/report.txt" ||
        fail "the PDF report's text layer lacks the article's words"
fi
echo "smoke: wrote the HTML and PDF reports"
# 4. The server backend is in the bundle: psycopg (and its compiled speed-ups) load and a server
#    that is not there gives the one-line error, exit 2, not a missing module. Port 1 on loopback
#    refuses at once; no server is needed.
if run info postgresql://smoke@127.0.0.1:1/annotator >/dev/null 2>"$tmp/server.err"; then
    fail "annotator info on a closed port succeeded"
fi
grep -q "^annotator: error: postgresql://smoke@127.0.0.1:1/annotator: cannot reach the server" \
    "$tmp/server.err" || fail "a server project did not fail cleanly: $(cat "$tmp/server.err")"
echo "smoke: a server project is tried through the bundled psycopg"
# 5. The bundle's own desktop integration points the launcher at the bundle.
sh "$bundle/desktop/install-desktop.sh" --prefix "$tmp/prefix" >/dev/null 2>&1 ||
    fail "desktop/install-desktop.sh"
launcher=$tmp/prefix/share/applications/org.annotator.Annotator.desktop
grep -qxF -e "Exec=\"$exe\" %f" -e "Exec=$exe %f" "$launcher" ||
    fail "the launcher does not run $exe: $(grep Exec "$launcher")"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$launcher" || fail "the installed launcher is not valid"
fi
echo "smoke: desktop/install-desktop.sh installs a launcher for the bundle"
echo "smoke: OK ($(($(date +%s) - start)) s)"
