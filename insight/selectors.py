"""Reads every insight page shares: the published, public pages of the active language and the
vocabularies they are counted by, each in one query whatever the amount of content.

A record or an event counts once: every language has its own page of it (a translation or an
alias), so only the pages of the active language are read — the rule the section listings follow
(live, public pages of the language's tree).
"""

from django.utils.translation import get_language
from wagtail.models import Locale

from content_types.base.languages import same_language
from content_types.vocabularies.models import Country, GBFTarget, Region

WORLD = "001"


def active_locale_id() -> int | None:
    """The locale of the active language (one query)."""
    language = get_language()
    for pk, code in Locale.objects.values_list("pk", "language_code"):
        if same_language(code, language):
            return pk
    return None


def public_pages(model, locale_id):
    """Live, public pages of ``model`` in one locale: each record once (its page in this language)."""
    return model.objects.live().public().filter(locale_id=locale_id)


def links(model, relation: str, pages) -> list[tuple[int, int]]:
    """(page id, term id) pairs of a classification relation for the pages of ``pages`` (one query)."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return list(
        through.objects.filter(**{f"{source}_id__in": pages.values("pk")}).values_list(f"{source}_id", f"{target}_id")
    )


def grouped(pairs) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {}
    for key, value in pairs:
        result.setdefault(key, set()).add(value)
    return result


def term_label(term) -> dict:
    """A vocabulary term as plain values a cache keeps: its name in the active language, the
    language it is in when that is not the active one (a name that fell back to English), its code."""
    language = term.text_language
    return {
        "code": term.code,
        "name": term.name,
        "lang": None if same_language(language, get_language()) else language,
    }


class Geography:
    """Countries and the M49 regions (two queries), with the region walks the dashboards need."""

    def __init__(self):
        self.regions = list(Region.objects.all())
        self.region_by_id = {region.pk: region for region in self.regions}
        self.region_by_code = {region.code: region for region in self.regions}
        self.countries = list(Country.objects.all())
        self.country_by_id = {country.pk: country for country in self.countries}
        self.country_by_code = {country.code: country for country in self.countries}
        self._within: dict[int, set[int]] = {}

    def continent_of(self, region_id: int | None) -> Region | None:
        """The region right below World that contains ``region_id`` (Africa, Americas, Asia…)."""
        node = self.region_by_id.get(region_id)
        while node is not None:
            parent = self.region_by_id.get(node.parent_id)
            if parent is None or parent.code == WORLD:
                return node if node.code != WORLD else None
            node = parent
        return None

    def continents(self) -> list[Region]:
        world = self.region_by_code.get(WORLD)
        tops = [region for region in self.regions if world is not None and region.parent_id == world.pk]
        return sorted(tops, key=lambda region: region.name)

    def region_ids_within(self, region: Region) -> set[int]:
        if region.pk in self._within:
            return self._within[region.pk]
        children: dict[int | None, list[Region]] = {}
        for item in self.regions:
            children.setdefault(item.parent_id, []).append(item)
        found, stack = set(), [region]
        while stack:
            node = stack.pop()
            found.add(node.pk)
            stack.extend(children.get(node.pk, []))
        self._within[region.pk] = found
        return found

    def countries_within(self, region: Region | None) -> set[int]:
        """Ids of the countries in ``region`` (every country when None)."""
        if region is None:
            return set(self.country_by_id)
        within = self.region_ids_within(region)
        return {country.pk for country in self.countries if country.region_id in within}

    def in_region(self, region: Region | None, country_ids, region_ids=()) -> bool:
        """The listings' rule: a page is in a region when one of its countries or regions lies within."""
        if region is None:
            return True
        within = self.region_ids_within(region)
        if any(self.country_by_id[pk].region_id in within for pk in country_ids if pk in self.country_by_id):
            return True
        return any(pk in within for pk in region_ids)


def targets() -> list[GBFTarget]:
    return list(GBFTarget.objects.order_by("number"))
