"""Response headers that tell browsers what a page may do: the Content-Security-Policy (django-csp),
the Permissions-Policy, and the few inline scripts of the Wagtail admin that the policy lets through."""
