"""Enrolling an authenticator app, giving a code after signing in, and managing both."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor
from .forms import TwoFactorCodeForm

BACKUP_CODES_SESSION_KEY = "chm_new_backup_codes"


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return default


@login_required
def setup(request):
    """Scan (or type) the secret, then prove it works with one code; backup codes come next."""
    user = request.user
    next_url = _next_url(request, reverse("accounts:two_factor"))
    if two_factor.has_device(user):
        return redirect(next_url if user.is_verified() else two_factor.next_step_url(user, next_url))
    device = two_factor.pending_authenticator(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = two_factor.new_backup_codes(user)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect(f"{reverse('accounts:two_factor_backup_codes')}?{urlencode({'next': next_url})}")
        form.add_error("code", _("This code is not right. Check the time on your phone and type the newest code."))
    context = {
        "form": form,
        "next": next_url,
        "qr_code": two_factor.qr_code_svg(device, _("QR code to scan with an authenticator app")),
        "secret": two_factor.secret_for_typing(device),
        "required": two_factor.must_verify(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def verify(request):
    """The second step of signing in: a code from the app, or one backup code."""
    user = request.user
    next_url = _next_url(request, reverse("accounts:two_factor"))
    if user.is_verified():
        return redirect(next_url)
    devices = two_factor.verifying_devices(user)
    if not devices:
        return redirect(two_factor.next_step_url(user, next_url) or next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = [device for device in devices if not device.verify_is_allowed()[0]]
        if len(waiting) == len(devices):
            form.add_error("code", _("Too many wrong codes in a row: wait a minute, then try again."))
        else:
            for device in devices:
                matched = verify_token(user, device.persistent_id, form.cleaned_data["code"])
                if matched is not None:
                    otp_login(request, matched)
                    if not isinstance(matched, TOTPDevice):
                        left = two_factor.backup_codes_left(user)
                        messages.warning(
                            request,
                            _("You used a backup code; %(count)d left. Make new ones on your two-factor page.")
                            % {"count": left},
                        )
                    return redirect(next_url)
            form.add_error("code", _("This code is not right. Type the newest code from your app, or a backup code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def overview(request):
    """Whether two-factor sign-in is on, how many backup codes are left, and what can be done."""
    user = request.user
    context = {
        "enrolled": two_factor.has_device(user),
        "required": settings.TWO_FACTOR_ENFORCED and two_factor.role_requires_two_factor(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def backup_codes(request):
    """The new backup codes, shown once."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    next_url = _next_url(request, reverse("accounts:two_factor"))
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": next_url})


@login_required
@require_POST
def regenerate_backup_codes(request):
    if not two_factor.has_device(request.user):
        return redirect("accounts:two_factor")
    request.session[BACKUP_CODES_SESSION_KEY] = two_factor.new_backup_codes(request.user)
    messages.success(request, _("New backup codes are ready; the old ones no longer work."))
    return redirect("accounts:two_factor_backup_codes")


@login_required
@require_POST
def remove(request):
    """Turn two-factor sign-in off; not for those whose role requires it."""
    if settings.TWO_FACTOR_ENFORCED and two_factor.role_requires_two_factor(request.user):
        messages.error(request, _("Your role requires two-factor sign-in: it cannot be turned off."))
        return redirect("accounts:two_factor")
    two_factor.remove_two_factor(request.user)
    messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("accounts:two_factor")
