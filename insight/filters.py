"""The filters of the dashboards (region, GBF target, period), read from the address and checked:
a value that names nothing is reported on the page and not applied, never an error."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content_types.base.codes import shown_value, unknown_code_message
from content_types.base.listing import YEAR_RANGE, CodeChoiceField
from content_types.vocabularies.models import GBFTarget, Region


class DashboardFilterForm(forms.Form):
    region = CodeChoiceField(Region, label=_("Region"))
    target = CodeChoiceField(GBFTarget, label=_("GBF target"))
    since = forms.IntegerField(label=_("From year"), required=False, min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    until = forms.IntegerField(label=_("To year"), required=False, min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])

    def __init__(self, data, *, fields=("region", "target", "since", "until")):
        super().__init__(data)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]


class DashboardFilters:
    """The valid filters of one request, the messages about the others, and the links that keep them."""

    def __init__(self, request, fields=("region", "target", "since", "until")):
        self.form = DashboardFilterForm(request.GET, fields=fields)
        self.form.is_valid()
        self.values = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        self.messages: list[str] = []
        for name in self.form.errors:
            raw = request.GET.get(name, "")
            if name in ("since", "until"):
                self.messages.append(
                    gettext("“%(value)s” is not a year from %(first)d to %(last)d; that filter was not applied.")
                    % {"value": shown_value(raw), "first": YEAR_RANGE[0], "last": YEAR_RANGE[1]}
                )
            else:
                self.messages.append(unknown_code_message(self.form.fields[name].label, raw))
        since, until = self.values.get("since"), self.values.get("until")
        if since is not None and until is not None and since > until:
            self.messages.append(
                gettext("The period cannot end (%(until)d) before it starts (%(since)d); that filter was not applied.")
                % {"since": since, "until": until}
            )
            del self.values["since"], self.values["until"]

    @property
    def region(self):
        return self.values.get("region")

    @property
    def target(self):
        return self.values.get("target")

    @property
    def since(self):
        return self.values.get("since")

    @property
    def until(self):
        return self.values.get("until")

    def params(self) -> list[tuple[str, str]]:
        """The applied filters as the address writes them (codes, years), in the form's order."""
        pairs = []
        for name in self.form.fields:
            value = self.values.get(name)
            if value is not None:
                pairs.append((name, str(getattr(value, "code", value))))
        return pairs

    def key(self) -> tuple:
        return tuple(self.params())

    def query(self, **extra) -> str:
        pairs = [*self.params(), *((name, value) for name, value in extra.items() if value is not None)]
        return "?" + urlencode(pairs) if pairs else ""

    def overlaps(self, start, end) -> bool:
        """Whether a span of dates (either may be None) meets the period's years."""
        if self.since is not None and end is not None and end.year < self.since:
            return False
        return not (self.until is not None and start is not None and start.year > self.until)

    def year_in_period(self, year: int | None) -> bool:
        if year is None:
            return self.since is None and self.until is None
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


def filter_options() -> dict:
    """The regions and GBF targets the filter form offers, in the active language (cached)."""
    from django.utils.translation import get_language

    from cms import content_version

    from .selectors import Geography, targets, term_label

    def compute():
        geo = Geography()
        regions = []

        def walk(parent_id, depth):
            children = sorted((r for r in geo.regions if r.parent_id == parent_id), key=lambda region: region.name)
            for region in children:
                regions.append({**term_label(region), "depth": depth})
                walk(region.pk, depth + 1)

        world = geo.region_by_code.get("001")
        if world is not None:
            walk(world.pk, 0)
        return {
            "regions": regions,
            "targets": [{**term_label(target), "label": str(target)} for target in targets()],
        }

    return content_version.cached("insight-filter-options", (get_language(),), compute)
