#!/usr/bin/env bash
# Install the browser tests' JavaScript tools (axe-core) from package-lock.json into node_modules/.
#
# Runs `npm ci --ignore-scripts` when npm is present and node_modules/ is missing or older than the
# lock file. It never fails the build: without axe-core the accessibility tests skip and say why.
set -u
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "ensure-frontend: npm is not installed; the accessibility (axe-core) tests are skipped." \
         "Install Node.js 18 or newer and run: npm ci --ignore-scripts"
    exit 0
fi

if [ -f node_modules/axe-core/axe.min.js ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "ensure-frontend: node_modules/ is up to date."
    exit 0
fi

echo "ensure-frontend: installing the packages of package-lock.json (npm ci --ignore-scripts)..."
if npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then
    echo "ensure-frontend: installed axe-core $(node -p "require('./node_modules/axe-core/package.json').version")."
else
    echo "ensure-frontend: npm ci failed; the accessibility (axe-core) tests are skipped."
fi
exit 0
