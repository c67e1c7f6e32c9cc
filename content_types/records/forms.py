"""The admin form of records: rules that need the form's many-to-many values or its inline rows.

A page's ParentalManyToMany values (GBF targets…) and inline rows are only on the form while the
model is cleaned, so the rules that read them live here rather than in ``Model.clean``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class RecordPageForm(WagtailAdminPageForm):
    """Enforces ``required_classifications`` of the page type and one report section per target."""

    def clean(self):
        cleaned_data = super().clean()
        model = self._meta.model
        for name in getattr(model, "required_classifications", ()):
            if name in self.fields and not cleaned_data.get(name):
                label = self.fields[name].label
                self.add_error(name, _("Choose at least one value for “%(field)s”.") % {"field": label})
        sections = self.formsets.get("sections")
        if sections is not None and sections.is_valid():
            seen = set()
            for form in sections.forms:
                data = getattr(form, "cleaned_data", None) or {}
                target = data.get("target")
                if not target or data.get("DELETE"):
                    continue
                if target.pk in seen:
                    self.add_error(
                        None,
                        _("The report has two sections for target %(target)s; merge them into one.")
                        % {"target": target.number},
                    )
                seen.add(target.pk)
        return cleaned_data
