"""Two-factor sign-in (TOTP, through django-otp): who must use it, and where it is asked for.

Administrators and Editors (and superusers) must enrol an authenticator app before they use the
Wagtail admin, the workspace or their account pages, when ``TWO_FACTOR_ENFORCED`` is on (production's
default; the demo settings leave it off so that ``make run`` stays a one-step start). Anyone else may
enrol; once enrolled, they are asked for a code too. The public site never asks.
"""

import re
from base64 import b32encode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles

ROLES_REQUIRING_TWO_FACTOR = [roles.ADMINISTRATOR, roles.EDITOR]
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"

# Where a code is asked for (the language prefix aside), and the pages within them that never ask.
PROTECTED = re.compile(r"^/(?:admin/|(?:[a-z]{2}(?:-[a-z]+)?/)?(?:workspace|accounts)/)")
OPEN = re.compile(
    r"^/(?:admin/(?:login|logout|password_reset)/"
    r"|(?:[a-z]{2}(?:-[a-z]+)?/)?accounts/(?:login|logout|two-factor/(?:setup|verify))/)"
)


def role_requires_two_factor(user) -> bool:
    if user.is_superuser:
        return True
    return any(group.name in ROLES_REQUIRING_TWO_FACTOR for group in user.groups.all())


def has_device(user) -> bool:
    """Whether ``user`` enrolled an authenticator app (backup codes alone do not count)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def must_verify(user) -> bool:
    """Whether ``user`` needs a verified code for the protected pages."""
    if not user.is_authenticated:
        return False
    if has_device(user):
        return True
    return settings.TWO_FACTOR_ENFORCED and role_requires_two_factor(user)


def next_step_url(user, next_url: str) -> str:
    """Where a signed-in but unverified person goes first: the code, or enrolment; "" when neither."""
    if getattr(user, "is_verified", lambda: False)() or not must_verify(user):
        return ""
    step = "accounts:two_factor_verify" if has_device(user) else "accounts:two_factor_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


class TwoFactorMiddleware:
    """Sends a person who must use two-factor sign-in to enrolment or to the code form before the
    protected pages (after ``OTPMiddleware``, which tells whether this session gave a code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if PROTECTED.match(path) and not OPEN.match(path) and request.user.is_authenticated:
            step = next_step_url(request.user, request.get_full_path())
            if step:
                return redirect(step)
        return self.get_response(request)


# --- devices ------------------------------------------------------------------------------------
def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan the code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, title: str) -> str:
    """The enrolment QR code as inline SVG, drawn here (the secret never leaves the server)."""
    import segno
    from django.utils.html import escape

    code = segno.make(device.config_url, error="m")
    return code.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=escape(title), svgclass="qr-code")


def new_backup_codes(user) -> list[str]:
    """Replace the person's backup codes with ``BACKUP_CODE_COUNT`` new ones (each usable once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verifying_devices(user) -> list:
    """The person's confirmed devices, authenticator first."""
    return sorted(devices_for_user(user), key=lambda device: not isinstance(device, TOTPDevice))


def remove_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
