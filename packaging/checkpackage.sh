#!/usr/bin/env bash
# Checks a built wsprobe .deb without installing it:
#   1. it holds every file of packaging/contents.txt, and its control fields are filled in
#      (Depends computed by dpkg-shlibdeps);
#   2. unpacked into a temporary root (dpkg-deb -x), both programs print the package's version,
#      the shipped examples read, and a CMake project finds the package there with
#      find_package(wsprobe) and runs the shipped demo scenarios through wsprobe_add_suite()
#      and the unpacked wsprobe-run (--with-demo);
#   3. desktop-file-validate, appstreamcli validate --no-net and lintian find nothing wrong.
# Usage: packaging/checkpackage.sh path/to/wsprobe_<version>_amd64.deb
set -euo pipefail

deb=$(realpath "$1")
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
failures=0

say() { printf '\033[1m--> %s\033[0m\n' "$*" >&2; }
fail() {
    printf '\033[31mFAIL\033[0m %s\n' "$*" >&2
    failures=$((failures + 1))
}

root=$(mktemp -d "${TMPDIR:-/tmp}/wsprobe-package.XXXXXX")
trap 'rm -rf "$root"' EXIT

# ---------------------------------------------------------------------------- 1. the contents
say "Contents of $(basename "$deb")"
# dpkg-deb -c prints "perms owner size date time ./path": keep the paths, without "./".
packaged=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./||')
has() { grep -qxF "$1" <<<"$packaged"; }
checked=0
while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    if [[ $line == *' = '* ]]; then
        folder=${line%% = *}
        source_folder=${line#* = }
        while IFS= read -r file; do
            checked=$((checked + 1))
            has "$folder$file" || fail "the package lacks $folder$file (from $source_folder$file)"
        done < <(cd "$source_dir/$source_folder" && find . -type f | sed 's|^\./||' | sort)
    else
        checked=$((checked + 1))
        has "$line" || fail "the package lacks $line"
    fi
done <"$source_dir/packaging/contents.txt"
echo "$checked files looked for"

field() { dpkg-deb -f "$deb" "$1"; }
version=$(field Version)
[[ $(field Package) == wsprobe ]] || fail "Package is $(field Package)"
[[ $(field Architecture) == amd64 ]] || fail "Architecture is $(field Architecture)"
[[ $(basename "$deb") == "wsprobe_${version}_amd64.deb" ]] || fail "the file is named $(basename "$deb")"
for name in Maintainer Section Priority Homepage Description; do
    [[ -n $(field "$name") ]] || fail "the control file has no $name"
done
depends=$(field Depends)
for library in libc6 libqt6core6 libqt6widgets6 libqt6websockets6 libqscintilla2-qt6; do
    grep -q "\\b$library\\b" <<<"$depends" || fail "Depends lacks $library: $depends"
done
echo "wsprobe $version, Depends: $depends"

# ------------------------------------------------------------------ 2. the programs, unpacked
say "Unpacked into $root"
dpkg-deb -x "$deb" "$root"
for program in wsprobe wsprobe-run; do
    # No display: both answer --version before they need one.
    printed=$(env -u DISPLAY -u WAYLAND_DISPLAY "$root/usr/bin/$program" --version)
    [[ $printed == "$program $version" ]] || fail "$program --version prints \"$printed\", the package is $version"
    echo "$printed"
done

"$root/usr/bin/wsprobe-run" "$root/usr/share/doc/wsprobe/examples" --list >/dev/null ||
    fail "the shipped examples do not all read"
# The examples the built-in demo server can serve, and the one that starts its own mock server,
# run from the package as a user would run them (the others need the example servers of
# tests/examples: see examples/README.md).
env -u DISPLAY -u WAYLAND_DISPLAY "$root/usr/bin/wsprobe-run" --with-demo \
    "$root/usr/share/doc/wsprobe/examples/01-echo.json" \
    "$root/usr/share/doc/wsprobe/examples/08-sequence.json" \
    "$root/usr/share/doc/wsprobe/examples/09-payments-client.json" >"$root/examples.log" 2>&1 ||
    { cat "$root/examples.log" >&2; fail "the shipped examples 01-echo, 08-sequence and 09-payments-client fail"; }

consumer=$root/consumer-build
if cmake -S "$source_dir/packaging/consumer" -B "$consumer" -DCMAKE_PREFIX_PATH="$root/usr" \
        -DVERSION="$version" -DRUNNER="$root/usr/bin/wsprobe-run" \
        -DSCENARIOS="$root/usr/share/doc/wsprobe/demo-scenarios" >"$root/consumer.log" 2>&1; then
    ctest --test-dir "$consumer" --output-on-failure || fail "the demo scenarios failed through find_package(wsprobe)"
else
    cat "$root/consumer.log" >&2
    fail "a project cannot find_package(wsprobe) in the package"
fi

# -------------------------------------------------------------------------- 3. the validators
say "Validators"
desktop-file-validate "$root"/usr/share/applications/*.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml || fail "appstreamcli validate"
lintian --fail-on error,warning --info "$deb" || fail "lintian"

if [ "$failures" -gt 0 ]; then
    echo "$(basename "$deb"): $failures check(s) failed" >&2
    exit 1
fi
echo "$(basename "$deb"): every check passed"
