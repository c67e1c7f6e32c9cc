"""Forms of the public site: asking to join a network, and the coordinator's decision."""

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cms.forms import PortalFormMixin

from .models import MemberRole, MembershipStatus, NetworkMembership, original_of


def profile_value(page) -> str:
    kind = "organisation" if page._meta.model_name == "organisationpage" else "expert"
    return f"{kind}:{page.pk}"


class JoinRequestForm(PortalFormMixin, forms.Form):
    """A request to join ``network`` as one of the organisation or expert pages the person owns."""

    member = forms.ChoiceField(label=_("Join as"))
    message = forms.CharField(
        label=_("Message to the coordinator"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you would like to join and what you can bring (1,000 characters at most)."),
    )

    def __init__(self, *args, network, profiles, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.user = user
        self.profiles = {profile_value(page): page for page in profiles}
        self.fields["member"].choices = [
            (value, f"{page.title} ({page._meta.verbose_name})") for value, page in self.profiles.items()
        ]
        self.fields["member"].error_messages["invalid_choice"] = _(
            "Choose one of the organisations or expert profiles you manage."
        )

    def clean(self):
        cleaned = super().clean()
        page = self.profiles.get(cleaned.get("member"))
        if page is None:
            return cleaned
        cleaned["page"] = page
        existing = self.existing_membership(page)
        if existing is not None:
            self.add_error("member", self.duplicate_message(existing, page))
        return cleaned

    def member_filter(self, page) -> dict:
        field = "organisation" if page._meta.model_name == "organisationpage" else "expert"
        return {field: page}

    def existing_membership(self, page):
        return (
            NetworkMembership.objects.filter(
                network__translation_key=self.network.translation_key,
                status__in=[MembershipStatus.PENDING, MembershipStatus.ACTIVE],
                **self.member_filter(page),
            )
            .order_by("-requested_at")
            .first()
        )

    @staticmethod
    def duplicate_message(existing, page) -> str:
        if existing.status == MembershipStatus.ACTIVE:
            return _("%(member)s is already a member of this network.") % {"member": page.title}
        return _(
            "%(member)s already asked to join on %(date)s; the coordinator has not answered yet. "
            "The answer will show on this page."
        ) % {"member": page.title, "date": date_format(timezone.localtime(existing.requested_at), "DATE_FORMAT")}

    def save(self) -> NetworkMembership:
        page = self.cleaned_data["page"]
        membership = NetworkMembership(
            network=original_of(self.network),
            status=MembershipStatus.PENDING,
            role=MemberRole.MEMBER,
            message=self.cleaned_data["message"],
            requested_by=self.user,
            **self.member_filter(page),
        )
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # Two requests at once: the database's unique constraint keeps only the first.
            existing = self.existing_membership(page)
            message = self.duplicate_message(existing, page) if existing else _("Please try again.")
            raise forms.ValidationError(message) from None
        return membership


class DecisionForm(forms.Form):
    """The coordinator's answer to one request: accept (with a role) or decline."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, required=False)
