#!/usr/bin/env bash
# Make Debian's Varnish and its xkey module available for the cache tests (tests/deploy/test_varnish.py),
# which run the cache's configuration (deploy/varnish/default.vcl) in a real varnishd on loopback.
#
# Installs the `varnish` and `varnish-modules` packages with apt-get when they are missing and this runs
# as root on a system with apt-get, and stops the service the package may have started. It never fails
# the build: without varnishd those tests skip and say why.
set -u

have_xkey() {
    ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || ls /usr/lib/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1
}

if { command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ]; } && have_xkey; then
    echo "ensure-varnish: varnishd and its xkey module are installed."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
    echo "ensure-varnish: varnishd or its xkey module is missing; install them" \
         "(apt-get install varnish varnish-modules) to run the cache tests (they are skipped meanwhile)."
    exit 0
fi

echo "ensure-varnish: installing Debian's varnish and varnish-modules..."
export DEBIAN_FRONTEND=noninteractive
packages="varnish varnish-modules"
if apt-get install -y -q --no-install-recommends $packages >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $packages >/dev/null; }; then
    # Only the binary is wanted: the tests start their own varnishd on loopback.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet varnish 2>/dev/null; then
        systemctl stop varnish || true
    fi
    echo "ensure-varnish: installed."
    exit 0
fi
echo "ensure-varnish: could not install varnish; the cache tests are skipped."
exit 0
