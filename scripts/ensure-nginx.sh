#!/usr/bin/env bash
# Make Debian's nginx available for the proxy tests (tests/deploy/test_scaling.py), which run the
# proxy's configuration (deploy/nginx/portal.conf) in a real nginx on loopback.
#
# Installs the `nginx` package with apt-get when it is missing and this runs as root on a system with
# apt-get, and stops the server the package may have started. It never fails the build: without nginx
# those tests skip and say why.
set -u

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    echo "ensure-nginx: nginx is installed."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
    echo "ensure-nginx: nginx is missing; install it (apt-get install nginx) to run the proxy tests" \
         "(they are skipped meanwhile)."
    exit 0
fi

echo "ensure-nginx: installing Debian's nginx..."
export DEBIAN_FRONTEND=noninteractive
if apt-get install -y -q --no-install-recommends nginx >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends nginx >/dev/null; }; then
    # Only the binary is wanted: the tests start their own nginx on loopback.
    if [ -s /run/nginx.pid ]; then
        nginx -s quit 2>/dev/null || true
    fi
    echo "ensure-nginx: installed."
    exit 0
fi
echo "ensure-nginx: could not install nginx; the proxy tests are skipped."
exit 0
