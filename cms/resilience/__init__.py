"""Degrade, don't break: what the portal does when Redis, the broker, SMTP or Elasticsearch is down.

``breaker`` stops calling a dependency that just failed, for a while, so that one outage costs one
timeout rather than one per request; ``cache`` is a Redis cache that answers misses when Redis is
unreachable; ``tasks.dispatch`` sends Celery tasks without ever raising into the request.
"""
