"""The harvest source's admin form: the API token is write-only (never shown back, only "set" or not)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

TOKEN_HELP = _(
    "A token the peer portal issued to this portal as an API client: the harvest is then counted as that "
    "client, at the clients' rate, instead of under the anonymous limit. It is stored encrypted and never shown again."
)


class HarvestSourceForm(WagtailAdminModelForm):
    """``api_token`` is not a model field of this form: an empty box keeps the saved token, a new value
    replaces it, the box below removes it."""

    field_order = ["name", "base_url", "scope_types", "scope_countries", "scope_targets", "api_token"]

    api_token = forms.CharField(
        label=_("API token"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    remove_api_token = forms.BooleanField(label=_("Remove the saved API token"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token_set = bool(self.instance.pk and self.instance.api_token)
        status = (
            _("A token is set. Leave the box empty to keep it; type a new one to replace it.")
            if self.token_set
            else _("No token is set: the harvest reads the peer anonymously.")
        )
        self.fields["api_token"].help_text = f"{status} {TOKEN_HELP}"
        if not self.token_set:
            del self.fields["remove_api_token"]

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get("api_token", "")
        if token and cleaned.get("remove_api_token"):
            self.add_error("api_token", _("Either type a new token or remove the saved one, not both."))
        elif token:
            self.instance.api_token = token
        elif cleaned.get("remove_api_token"):
            self.instance.api_token = ""
        return cleaned
