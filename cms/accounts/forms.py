from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from cms.forms import PortalFormMixin

from .lockout import lockout_message
from .models import UserProfile


class LockoutMessageMixin:
    """Say why sign-in failed when django-axes paused it, instead of "wrong password"."""

    def get_invalid_login_error(self):
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(lockout_message(self.request), code="locked_out")
        return super().get_invalid_login_error()


class LoginForm(LockoutMessageMixin, PortalFormMixin, AuthenticationForm):
    character_counts = False
    error_messages = {
        "invalid_login": _("The user name or password is not right. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")


class AdminLoginForm(LockoutMessageMixin, WagtailLoginForm):
    """The Wagtail admin's sign-in form (``WAGTAILADMIN_USER_LOGIN_FORM``), with the lockout message."""


class ProfileForm(PortalFormMixin, forms.ModelForm):
    """What people may change about themselves; the country they act for is set by an administrator,
    because it decides which submissions a national editor acts on."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))

    class Meta:
        model = UserProfile
        fields = ["preferred_language", "organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("first_name", "last_name", "email"):
            self.fields[name].initial = getattr(user, name)
        self.order_fields(["first_name", "last_name", "email", "organisation", "preferred_language"])

    def save(self, commit=True):
        for name in ("first_name", "last_name", "email"):
            setattr(self.user, name, self.cleaned_data[name])
        if commit:
            self.user.save(update_fields=["first_name", "last_name", "email"])
        return super().save(commit=commit)


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app (or, where allowed, a backup code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()
