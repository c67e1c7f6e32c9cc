"""Refuse a request whose declared body is larger than ``REQUEST_MAX_BODY_SIZE``, before reading it.

The proxy in front (deploy/nginx/portal.conf, ``client_max_body_size``) applies the same limit; this
one holds when the portal is reached directly. API clients get RFC 9457 problem details.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _

from cms.problems import PROBLEM_CONTENT_TYPE, problem


def declared_length(request) -> int | None:
    """The request's Content-Length as a number; None when absent, -1 when it is not a number."""
    value = request.META.get("CONTENT_LENGTH")
    if value in (None, ""):
        return None
    try:
        length = int(value)
    except (TypeError, ValueError):
        return -1
    return length if length >= 0 else -1


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BODY_SIZE
        length = declared_length(request)
        if length is not None and (length < 0 or length > limit):
            return self.refusal(request, limit, malformed=length < 0)
        return self.get_response(request)

    @staticmethod
    def refusal(request, limit: int, *, malformed: bool):
        status = 400 if malformed else 413
        if malformed:
            title = _("Bad request")
            detail = _("The request's Content-Length is not a number.")
        else:
            title = _("Request too large")
            detail = _("The request is larger than %(limit)s, the most the portal accepts at once.") % {
                "limit": filesizeformat(limit)
            }
        if request.path.startswith("/api/"):
            return JsonResponse(
                problem(status, detail, title=title),
                status=status,
                content_type=PROBLEM_CONTENT_TYPE,
            )
        return HttpResponse(
            f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}</p>",
            status=status,
            content_type="text/html; charset=utf-8",
        )
