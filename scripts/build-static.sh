#!/bin/sh
# The production build's static step; the Dockerfile and tests/deploy/test_production_build.py run it.
# Compiles the catalogues, then collects every static file under its hashed name with a compressed copy
# (STORAGES["staticfiles"]) into STATIC_ROOT. A file that refers to a missing one fails the build.
# Settings come from the environment (DJANGO_SETTINGS_MODULE, and what those settings require).
set -eu
cd "$(dirname "$0")/.."
python manage.py compile_catalogues
python manage.py collectstatic --no-input --clear
