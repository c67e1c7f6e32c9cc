"""Response headers that tell browsers what a page may do: the Content-Security-Policy, the
Permissions-Policy, and the few inline scripts of the Wagtail admin that the policy lets through.

The policy is written by django-csp (Mozilla's, maintained) rather than a middleware of ours: it makes
a nonce only when a response asks for one (so public pages stay identical and cacheable), lets a view
loosen or tighten its own policy with decorators, and has a report-only mode for trying a stricter
policy before enforcing it.
"""
