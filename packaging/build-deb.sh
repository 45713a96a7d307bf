#!/bin/sh
# Builds the auditeql Debian package with CPack and prints its path.
#
#   packaging/build-deb.sh [BUILD_DIR]     (default: build-deb in the source tree)
#
# Release build without the test suites, configured for /usr (the prefix the
# package installs under whatever the build's: see cmake/Install.cmake). Needs
# cmake, a C++20 compiler, libaudit-dev, libauparse-dev, libyaml-cpp-dev,
# libtomlplusplus-dev, libboost-program-options-dev, and dpkg-dev for the
# library dependencies (dpkg-shlibdeps).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/build-deb"}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	-DAUDITEQL_BUILD_TESTS=OFF >&2
cmake --build "$build" -j "$jobs" >&2
rm -f "$build"/auditeql_*.deb
(cd "$build" && cpack -G DEB) >&2

set -- "$build"/auditeql_*.deb
if [ ! -f "$1" ]; then
	echo "build-deb: cpack produced no auditeql_*.deb in $build" >&2
	exit 1
fi
echo "$1"
