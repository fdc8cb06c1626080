# Shared by ci/demo and ci/test: install what is missing, configure, build.
# Debian 12 packages only; nothing is downloaded at build time.
set -euo pipefail

TANDEM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TANDEM_BUILD=${TANDEM_BUILD:-$TANDEM_ROOT/build}
# g++-aarch64-linux-gnu and qemu-user-static: the AICPU program for aarch64 and its run-protocol
# test under qemu (docs/board.md). clang-format and clang-tidy: the lint step (ci/lint).
TANDEM_PACKAGES=(g++ cmake ninja-build pkg-config libsystemc-dev catch2 pybind11-dev python3-dev python3-numpy
                 nlohmann-json3-dev libcli11-dev libsqlite3-dev g++-aarch64-linux-gnu qemu-user-static
                 clang-format clang-tidy)

tandem_install_missing() {
    local missing=()
    for package in "${TANDEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "ci: installing missing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq || echo "ci: apt-get update failed; trying the install with the cached package lists"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# Extra arguments go to the configure step (ci/test-sanitizers: -DTANDEM_SANITIZE=...).
tandem_configure() {
    # Debian's Python 3.11, not a pyenv interpreter that may be first on PATH.
    cmake -S "$TANDEM_ROOT" -B "$TANDEM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DPython3_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
}
tandem_build() {
    tandem_configure "$@"
    cmake --build "$TANDEM_BUILD" -- -j"$(nproc)"
}
