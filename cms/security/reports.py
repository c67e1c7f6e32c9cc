"""Where browsers send the policy's violation reports: logged, so that a blocked script shows up.

Anyone can post here (browsers send no CSRF token and no cookies), so a report is small, the address
that sends many in a minute is refused, and nothing is stored but a log line.
"""

import json
import logging

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.accounts.addresses import client_address

logger = logging.getLogger("cms.security.csp")

MAX_BODY = 8 * 1024
REPORTS_PER_MINUTE = 30
# The Reporting API's names for the fields that report-uri reports spell with hyphens.
REPORTING_API_FIELDS = {
    "documentURL": "document-uri",
    "blockedURL": "blocked-uri",
    "effectiveDirective": "effective-directive",
    "sourceFile": "source-file",
    "lineNumber": "line-number",
}
KEPT_FIELDS = ("document-uri", "blocked-uri", "violated-directive", "effective-directive", "source-file", "line-number")


def problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


def allowed(address: str) -> bool:
    """Count the address's reports for the current minute; a cache that is down lets reports through."""
    key = f"csp-report:{address}"
    try:
        if cache.add(key, 1, timeout=60):
            return True
        return cache.incr(key) <= REPORTS_PER_MINUTE
    except Exception:  # noqa: BLE001 - an unreachable cache must not turn a report into an error page
        return True


def violations(payload) -> list[dict]:
    """The reports in either format: ``{"csp-report": {...}}`` (report-uri) or a list (Reporting API)."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        found = []
        for entry in payload:
            body = entry.get("body") if isinstance(entry, dict) else None
            if isinstance(body, dict):
                found.append({REPORTING_API_FIELDS.get(key, key): value for key, value in body.items()})
        return found
    return []


@csrf_exempt
@require_POST
def csp_report(request):
    if not allowed(client_address(request)):
        return problem(429, _("Too many reports"), _("Wait a minute before sending more reports."))
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        return problem(413, _("Report too large"), _("A report may be at most 8 KB."))
    try:
        payload = json.loads(request.read(MAX_BODY).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return problem(400, _("Unreadable report"), _("A report must be a JSON document."))
    found = violations(payload)
    if not found:
        return problem(400, _("Unreadable report"), _("The document holds no policy violation report."))
    for violation in found[:10]:
        logger.warning(
            "Content-Security-Policy violation: %s",
            json.dumps({field: str(violation.get(field, ""))[:300] for field in KEPT_FIELDS}, sort_keys=True),
        )
    return HttpResponse(status=204)
