#!/usr/bin/env bash
# Refresh the browser libraries the portal serves itself, under cms/static/vendor/<library>/.
#
# The versions are pinned in package.json (and package-lock.json): change them there, then run
#     bash scripts/vendor-frontend.sh
# and commit cms/static/vendor/. Only the files a page loads are copied, with each library's
# LICENSE. Source-map comments are removed, since the maps are not shipped: a manifest storage
# (production's collectstatic) fails on a reference to a file that is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-frontend: npm is needed (Node.js 18 or newer)." >&2
    exit 1
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

VENDOR=cms/static/vendor
MODULES=node_modules

copy_into() {  # copy_into <vendor folder> <package> <file in package> [<name in vendor folder>]
    local folder=$1 package=$2 source=$3 target=${4:-$(basename "$3")}
    mkdir -p "$VENDOR/$folder/$(dirname "$target")"
    # The source-map comment is the last line of a bundle; drop it (JS // and CSS /* */ forms).
    sed -E '/^[[:space:]]*(\/\/|\/\*)# sourceMappingURL=/d' "$MODULES/$package/$source" > "$VENDOR/$folder/$target"
}

copy() {  # copy <package> <file in package> [<name in vendor dir>], into a folder named after the package
    copy_into "$1" "$@"
}

version() {
    node -p "require('./$MODULES/$1/package.json').version"
}

rm -rf "$VENDOR/chartjs" "$VENDOR/leaflet" "$VENDOR/tom-select" "$VENDOR/topojson-client" "$VENDOR/world-atlas"

# A folder name without ".js", which would read as a script file.
copy_into chartjs chart.js dist/chart.umd.min.js
copy_into chartjs chart.js LICENSE.md LICENSE

copy leaflet dist/leaflet.js
copy leaflet dist/leaflet.css
mkdir -p "$VENDOR/leaflet/images"
cp "$MODULES"/leaflet/dist/images/*.png "$VENDOR/leaflet/images/"
copy leaflet LICENSE

copy tom-select dist/js/tom-select.popular.min.js
copy tom-select dist/css/tom-select.min.css
copy tom-select LICENSE

copy topojson-client dist/topojson-client.min.js
copy topojson-client LICENSE

copy world-atlas countries-110m.json
copy world-atlas LICENSE

cat > "$VENDOR/README.txt" <<TEXT
Copied from their npm packages by scripts/vendor-frontend.sh (versions pinned in package.json); do not
edit by hand. Chart.js $(version chart.js) (MIT), Leaflet $(version leaflet) (BSD-2-Clause), Tom Select $(version tom-select) (Apache-2.0), topojson-client $(version topojson-client) (ISC),
world-atlas $(version world-atlas) (ISC; Natural Earth 1:110m, public domain).
Each folder keeps the package's licence beside the files taken from it, and only those files:

chartjs/          the chart.js package's dist/chart.umd.min.js (its colour helper, @kurkle/color, is
                  bundled in it) and LICENSE.md as LICENSE
leaflet/          dist/leaflet.js, dist/leaflet.css and dist/images/*.png (the marker and layer
                  images they refer to). Source-map comments are removed: the maps are not shipped.
tom-select/       dist/js/tom-select.popular.min.js and dist/css/tom-select.min.css
topojson-client/  dist/topojson-client.min.js
world-atlas/      countries-110m.json

Every file referenced from a vendored file must be here too: the production build
(scripts/build-static.sh, tested by tests/deploy/test_production_build.py) refuses dangling references.
TEXT
echo "vendor-frontend: refreshed $VENDOR/."
