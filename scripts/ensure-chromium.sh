#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (tests/e2e/).
#
# Installs the `chromium` package with apt-get when /usr/bin/chromium is missing and this runs as
# root on a system with apt-get. Otherwise it says what to do. It never fails the build: without
# Chromium the browser tests skip and say why.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "ensure-chromium: $CHROMIUM is installed."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: apt-get is not available; install Chromium at $CHROMIUM by hand" \
         "to run the browser tests (they are skipped meanwhile)."
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "ensure-chromium: $CHROMIUM is missing. To run the browser tests, install it as root:"
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium"
    echo "ensure-chromium: the browser tests are skipped meanwhile."
    exit 0
fi

echo "ensure-chromium: installing Debian's chromium (about a minute)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -q && apt-get install -y -q --no-install-recommends chromium; then
    if [ -x "$CHROMIUM" ]; then
        echo "ensure-chromium: installed $CHROMIUM."
        exit 0
    fi
fi
echo "ensure-chromium: could not install chromium; the browser tests are skipped."
exit 0
