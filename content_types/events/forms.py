"""The event editing form: times are typed as a clock at the venue reads them, in the event's zone."""

import zoneinfo
from datetime import UTC

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

LOCAL_TIME_FIELDS = ("start", "end", "registration_deadline")


def wall_clock_in(value, zone: zoneinfo.ZoneInfo):
    """``value`` was read in the current time zone; the same clock reading in ``zone``."""
    naive = timezone.localtime(value).replace(tzinfo=None)
    return naive.replace(tzinfo=zone), naive


class EventPageForm(WagtailAdminPageForm):
    """Reads start, end and registration deadline in the event's time zone, not the editor's, and
    offers the organisations of the event's language only (each page exists once per language)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if "organisations" in self.fields and locale_id:
            field = self.fields["organisations"]
            chosen = [page.pk for page in self.instance.organisations.all()] if self.instance.pk else []
            field.queryset = field.queryset.filter(Q(locale_id=locale_id) | Q(pk__in=chosen)).order_by("title")
        zone = self._zone(self.instance.time_zone)
        if zone is not None and self.instance.pk:
            for name in LOCAL_TIME_FIELDS:
                value = getattr(self.instance, name, None)
                if name in self.fields and value is not None:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    @staticmethod
    def _zone(name):
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        zone = self._zone(cleaned.get("time_zone"))
        if zone is not None:
            for name in LOCAL_TIME_FIELDS:
                value = cleaned.get(name)
                if value is None:
                    continue
                aware, naive = wall_clock_in(value, zone)
                if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
                    self.add_error(
                        name,
                        _("%(time)s does not exist in %(zone)s: the clocks change then. Choose another time.")
                        % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
                    )
                    continue
                cleaned[name] = aware
        return cleaned
