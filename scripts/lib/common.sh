# Shared by scripts/run and scripts/test: installs the Debian packages that are missing, then
# configures and builds with the CMake preset. Sourced, not run.

set -euo pipefail

WSPROBE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WSPROBE_PRESET="${WSPROBE_PRESET:-default}"
WSPROBE_BUILD_DIR="$WSPROBE_ROOT/build/$WSPROBE_PRESET"
# ccache hits across checkouts in different folders (a CI clone, a second work tree): paths are
# hashed relative to the checkout, and the build folder's path is left out of the hash (the
# price: a cached object's debug info may name another checkout's folder).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$WSPROBE_ROOT}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

# What building the project needs.
WSPROBE_BUILD_PACKAGES=(
    cmake ninja-build ccache g++ pkg-config
    qt6-base-dev qt6-websockets-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools libqscintilla2-qt6-dev libxkbcommon-dev libvalijson-dev librsvg2-bin
    qt6-charts-dev libqt6opengl6-dev  # Charts' CMake package needs Qt6OpenGL's, which it does not pull in
)
# What the tests need on top: the third-party peers, a display server, screenshots, the
# official JSON Schema test suite.
WSPROBE_TEST_PACKAGES=(
    node-ws python3-websockets xvfb xauth imagemagick json-schema-test-suite
)

# What making and checking the Debian package needs on top of the build (scripts/package, and
# scripts/test, which checks the package too): cpack's dpkg-shlibdeps and file, the validators.
WSPROBE_PACKAGE_PACKAGES=(
    dpkg-dev file lintian desktop-file-utils appstream
)

# What scripts/fuzz needs on top of the build: clang and libFuzzer.
WSPROBE_FUZZ_PACKAGES=(
    clang-14 libfuzzer-14-dev
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Installs only what is missing: a machine that has everything never touches apt.
ensure_packages() {
    local missing=()
    local package
    for package in "$@"; do
        is_installed "$package" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    log "Installing missing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
    local started=$SECONDS
    log "Configuring ($WSPROBE_PRESET preset)"
    (cd "$WSPROBE_ROOT" && cmake --preset "$WSPROBE_PRESET" >/dev/null)
    log "Building"
    (cd "$WSPROBE_ROOT" && cmake --build --preset "$WSPROBE_PRESET" "$@")
    log "Built in $((SECONDS - started)) s"
}

# Makes the .deb from the current preset's build with cpack and checks it without installing it
# (packaging/checkpackage.sh).
build_and_check_package() {
    local started=$SECONDS
    log "Packaging ($WSPROBE_PRESET preset)"
    rm -f "$WSPROBE_BUILD_DIR"/wsprobe_*.deb
    (cd "$WSPROBE_ROOT" && cpack --preset "$WSPROBE_PRESET")
    local deb
    deb=$(ls "$WSPROBE_BUILD_DIR"/wsprobe_*.deb)
    log "Checking $deb"
    "$WSPROBE_ROOT/packaging/checkpackage.sh" "$deb"
    log "Packaged and checked in $((SECONDS - started)) s: $deb"
}
