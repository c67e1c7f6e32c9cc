"""gunicorn's settings for scripts/serve.sh, read through the portal's one environment parser."""

from cms.settings.env import env

bind = [env("WEB_BIND")]
workers = int(env("WEB_CONCURRENCY"))
# X-Forwarded-Proto is believed only from these addresses (the proxy in front of the web containers).
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS")
accesslog = "-"
