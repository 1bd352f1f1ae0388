#!/bin/sh
# Installs the Debian packages Parley needs beside its virtualenv: Qt's shared libraries,
# and the PDF and screen tools the tests and screenshots use. Idempotent: it asks dpkg what
# is missing and installs only that, as root; otherwise it prints the exact apt command.
set -eu

# Qt 6 (xcb and offscreen platforms), fonts, and the tools the checks call.
QT_PACKAGES="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3 \
libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
libxcb-render-util0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 fontconfig"
TOOL_PACKAGES="qpdf poppler-utils xvfb xauth"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian system; install Qt 6's runtime libraries, qpdf and poppler by hand." >&2
    exit 0
fi

missing=""
for pkg in $QT_PACKAGES $TOOL_PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ]; then
    echo "system-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "system-deps: these Debian packages are missing; run:" >&2
    echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
