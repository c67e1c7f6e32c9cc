#!/bin/sh
# The web container's command; docker-compose.yml, the Dockerfile and tests/deploy/test_production_build.py
# run it. gunicorn serves the portal with the settings of cms/gunicorn_config.py (WEB_BIND,
# WEB_CONCURRENCY, FORWARDED_ALLOW_IPS); the database is migrated beforehand, once (compose's migrate).
set -eu
cd "$(dirname "$0")/.."
exec gunicorn cms.wsgi:application --config python:cms.gunicorn_config --no-control-socket "$@"
