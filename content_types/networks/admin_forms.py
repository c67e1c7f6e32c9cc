"""The network editing form: linked events and records are offered in the network's language only
(every page exists once per language, aliases included, which would list each one six times)."""

from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

LOCALISED_CHOICES = ("linked_events", "linked_records")


class NetworkPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if not locale_id:
            return
        for name in LOCALISED_CHOICES:
            if name not in self.fields:
                continue
            chosen = [page.pk for page in getattr(self.instance, name).all()] if self.instance.pk else []
            field = self.fields[name]
            field.queryset = field.queryset.filter(Q(locale_id=locale_id, live=True) | Q(pk__in=chosen)).order_by(
                "title"
            )
