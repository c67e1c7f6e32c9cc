"""The Content-Security-Policy, built once from settings (``CONTENT_SECURITY_POLICY`` for django-csp).

No inline script anywhere: scripts come from our own origin, data for them travels in
``<script type="application/json">`` blocks or ``data-`` attributes. The Wagtail admin still writes a
handful of initialiser calls inline; ``admin_scripts.py`` gives exactly those a per-response nonce.
Styles keep ``'unsafe-inline'``: Wagtail's admin, Leaflet and Tom Select set ``style`` attributes, and a
style cannot run code.
"""

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF

REPORT_PATH = "/csp-report/"

# Video providers whose players EmbedVideoBlock may frame (oEmbed answers with their iframe).
VIDEO_FRAMES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]


def origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def media_sources(bucket: str, endpoint: str) -> list[str]:
    """Where uploaded images are read from: our origin, plus the bucket's when files live in one."""
    if not bucket:
        return []
    if endpoint:
        return [source for source in [origin(endpoint)] if source]
    return [f"https://{bucket}.s3.amazonaws.com", "https://*.amazonaws.com"]


def content_security_policy(*, media: list[str], report: bool = True) -> dict:
    directives = {
        "default-src": [SELF],
        # The nonce appears only in responses that asked for one (the admin's initialisers).
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *media],
        "media-src": [SELF, *media],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *VIDEO_FRAMES],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The admin's preview frames its own pages; ``admin_scripts`` relaxes this to 'self' there.
        "frame-ancestors": [NONE],
    }
    if report:
        directives["report-uri"] = [REPORT_PATH]
    return {"DIRECTIVES": directives}


# Powerful browser features the portal never uses: nobody, not even our own pages, may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every response (Django's SecurityMiddleware does not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
