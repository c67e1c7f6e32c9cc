"""What a client may send: an explicit allow-list, checked by the workspace's own record forms.

Anything else in the request (state, owner, country, identifier, provenance, dates of publication…)
is refused with a 400 naming it, so that a client learns at once that it cannot set it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from content_types.records.models import Licence
from content_types.vocabularies.models import GBFTarget, Language, Subject
from workflows.review.record_forms import model_for_slug, own_fields, record_form_class, submittable_types, type_slug

# API name → (form field, vocabulary) of the classifications a client may set by code.
CODE_FIELDS = {
    "targets": ("gbf_targets", GBFTarget),
    "subjects": ("subjects", Subject),
    "languages": ("languages", Language),
}
NOT_WRITABLE = _("This field cannot be set through the API.")


def pushable_fields(model) -> list[str]:
    """The type's own fields a client may set: its values, not links to other pages nor its country."""
    return [name for name in own_fields(model) if not isinstance(model._meta.get_field(name), models.ForeignKey)]


def scope_fields(model) -> list[str]:
    """The type's own country field, filled from the client's scope."""
    return [name for name in own_fields(model) if name == "country"]


class SubmissionStatusSerializer(serializers.Serializer):
    """A pushed record as its client sees it: where it stands in review, and its identifier."""

    id = serializers.IntegerField(source="pk", read_only=True)
    state = serializers.CharField(read_only=True)
    identifier = serializers.CharField(source="page.identifier", read_only=True)


class RecordSubmissionSerializer(serializers.Serializer):
    """A record to submit for review, in one language."""

    type = serializers.ChoiceField(choices=[], help_text="The record type, e.g. need, offer, project.")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, help_text="The language the record is written in.")
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(max_length=600, required=False, allow_blank=True, default="")
    body = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Plain text; paragraphs separated by an empty line."
    )
    licence = serializers.ChoiceField(choices=Licence.choices, required=False, default=Licence.CC_BY)
    targets = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    subjects = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    languages = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    fields = serializers.DictField(
        required=False, default=dict, help_text="The type's own fields, e.g. support_kind and urgency of a need."
    )

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["type"].choices = [(type_slug(model), model._meta.verbose_name) for model in submittable_types()]
        self.form = None

    def to_internal_value(self, data):
        if isinstance(data, dict):
            refused = sorted(set(data) - set(self.fields))
            if refused:
                raise serializers.ValidationError({name: [NOT_WRITABLE] for name in refused})
        return super().to_internal_value(data)

    def validate(self, attrs):
        model = model_for_slug(attrs["type"])
        allowed = set(pushable_fields(model))
        refused = sorted(set(attrs["fields"]) - allowed)
        if refused:
            raise serializers.ValidationError({f"fields.{name}": [NOT_WRITABLE] for name in refused})
        data = dict(attrs["fields"])
        for name in allowed - set(data):  # what the client leaves out takes the type's default, as in the form
            field = model._meta.get_field(name)
            if field.has_default():
                data[name] = field.get_default()
        data.update(
            language=attrs["language"],
            title=attrs["title"],
            summary=attrs["summary"],
            licence=attrs["licence"],
            publication_date=timezone.localdate().isoformat(),
        )
        errors = {}
        for api_name, (form_name, vocabulary) in CODE_FIELDS.items():
            codes = list(dict.fromkeys(attrs[api_name]))
            found = dict(vocabulary.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = [code for code in codes if code not in found]
            if unknown:
                errors[api_name] = [_("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)}]
            data[form_name] = [found[code] for code in codes if code in found]
        if errors:
            raise serializers.ValidationError(errors)
        country = self.client.country
        data["countries"] = [country.pk] if country else []
        for name in scope_fields(model):
            data[name] = country.pk if country else ""
        form = record_form_class(model)(data, {}, instance=model(), user=self.client.acting_user, submitting=True)
        if not form.is_valid():
            raise serializers.ValidationError(self._api_errors(form, model))
        self.form = form
        return attrs

    @staticmethod
    def _api_errors(form, model) -> dict:
        """The form's errors under the names the client sent."""
        by_form_name = {form_name: api_name for api_name, (form_name, _v) in CODE_FIELDS.items()}
        own = set(own_fields(model))
        errors = {}
        for name, messages in form.errors.items():
            if name == "__all__":
                api_name = "non_field_errors"
            elif name in own:
                api_name = "fields" if name in scope_fields(model) else f"fields.{name}"
            else:
                api_name = by_form_name.get(name, name)
            errors.setdefault(api_name, []).extend(str(message) for message in messages)
        return errors
