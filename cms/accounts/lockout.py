"""What a person sees when sign-in is paused for their user name from their address (django-axes).

Failures are counted per user name *and* address together (``AXES_LOCKOUT_PARAMETERS``), so an
attacker guessing one person's password from one place locks only that pair: the same person from
elsewhere, and everyone else from the same proxy or office, still sign in.
"""

import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext, ngettext

from .addresses import client_address

LOCKED_OUT_STATUS = 429


def retry_at(request, credentials=None):
    """When the pair's pause ends: its latest failure plus the cool-off (attempts during a pause are
    not counted, so the time shown stays true)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    latest = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=client_address(request)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (latest or timezone.now()) + cool_off


def lockout_message(request, credentials=None) -> str:
    when = retry_at(request, credentials)
    if when is None:
        return gettext(
            "Too many failed sign-in attempts with this user name from your address. Ask an administrator to unlock it."
        )
    minutes = max(1, math.ceil((when - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts with this user name from your address. Signing in is paused: "
        "try again in %(minutes)d minute, at %(time)s (%(zone)s).",
        "Too many failed sign-in attempts with this user name from your address. Signing in is paused: "
        "try again in %(minutes)d minutes, at %(time)s (%(zone)s).",
        minutes,
    ) % {
        "minutes": minutes,
        "time": time_format(timezone.localtime(when), "TIME_FORMAT"),
        "zone": timezone.get_current_timezone_name(),
    }


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page itself (its form already says why, see ``forms.LockoutMessageMixin``), with
    status 429; a plain message for anything that is not a page with the form."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = LOCKED_OUT_STATUS
        return original_response
    return HttpResponse(lockout_message(request, credentials), status=LOCKED_OUT_STATUS, content_type="text/plain")
