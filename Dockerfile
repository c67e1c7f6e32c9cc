# Production image: gunicorn serving the portal; the same image runs the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 chm

WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt

COPY --chown=chm:chm . .
# The static build tests/deploy/test_production_build.py runs. Settings must load; the real secret
# comes from the environment at run time.
RUN SECRET_KEY=build-only-secret-key-that-is-long-enough-for-the-production-check-000 \
    ALLOWED_HOSTS=build scripts/build-static.sh \
    && mkdir -p /app/media && chown chm:chm /app/media

USER chm
EXPOSE 8000
# gunicorn on WEB_BIND (0.0.0.0:8000) with WEB_CONCURRENCY workers; migrations run before, once.
CMD ["scripts/serve.sh"]
