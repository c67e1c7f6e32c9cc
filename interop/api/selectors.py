"""Reads of the open API: which pages are public, filtered how, in which order, and what each shows.

One item per translation group (a record in six languages is one identifier): the group's first
live page that is not an alias (its original). Its ``modified`` is the latest change of any live
page of the group that is not an alias (its publication; a page made live without publishing counts
at its first publication or its latest revision), so that a new translation counts as a change. The
text is shown in the language asked for when the group has a live translation in it, else in the
original's.

Lists are walked, not sorted: each group is represented by its most recently changed page (its
*latest*), and the list is the latest pages in (change time, id) order, read along an index of
that time (migration ``0003_page_change_index``) from the cursor on, stopping after a page of
them. What decides whether a group is listed (its original is public; the filters) is checked for
the pages walked only, so that a page costs the same at the start, deep in the list and for ten
times the content.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from wagtail.models import Locale, Page

from content_types.base.codes import VOCABULARY_PARAMETERS, page_type_code, shown_value
from content_types.base.listing import region_codes_within

from .kinds import identifier_of, kind_models

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
VOCABULARY_RELATIONS = {
    "country": "countries",
    "target": "gbf_targets",
    "subject": "subjects",
    "language": "languages",
}


def record_type_models() -> dict:
    from content_types.records.models import record_types

    return {page_type_code(model): model for model in record_types()}


def changed_at():
    """When a page last changed as the API counts it. The partial index of migration
    ``interop_api.0003_page_change_index`` is on this very expression (keep the two the same)."""
    return Coalesce("last_published_at", "first_published_at", "latest_revision_created_at", Value(EPOCH))


def _group_of(outer: str = "translation_key"):
    return Page.objects.live().filter(translation_key=OuterRef(outer), alias_of__isnull=True)


def public_originals(model):
    """The live, public original of every translation group of ``model``, with its ``modified`` (for
    one item, or a few: lists walk :func:`latest_pages`)."""
    group = _group_of()
    earlier = group.filter(pk__lt=OuterRef("pk"))
    latest = group.annotate(changed=changed_at()).order_by("-changed", "-pk").values("changed")[:1]
    return (
        model.objects.live()
        .public()
        .filter(alias_of__isnull=True)
        .exclude(Exists(earlier))
        .annotate(modified=Subquery(latest))
    )


def listed_originals(model):
    """What may be listed, before filters: live, public originals of ``model`` (no ``modified``)."""
    return model.objects.live().public().filter(alias_of__isnull=True)


def latest_pages(originals):
    """The latest page of every translation group whose original is one of ``originals`` (a queryset of
    :func:`listed_originals`, filtered), with its ``modified`` (its change time, indexed) and its
    group's ``original_id``; to be ordered and cut by :func:`after_cursor`."""
    group = _group_of()
    changed = changed_at()
    later = (
        group.annotate(changed=changed)
        .filter(Q(changed__gt=OuterRef("modified")) | Q(changed=OuterRef("modified"), pk__gt=OuterRef("pk")))
        .values("pk")
    )
    first = group.order_by("pk").values("pk")[:1]
    return (
        Page.objects.live()
        .filter(alias_of__isnull=True)
        .annotate(modified=changed, original_id=Subquery(first))
        .exclude(Exists(later))
        .filter(Exists(originals.filter(pk=OuterRef("original_id")).values("pk")))
        .only("pk", "translation_key", "last_published_at", "first_published_at", "latest_revision_created_at")
    )


def originals_of(model, latest: list) -> list:
    """The originals the ``latest`` pages stand for, in their order, each with its group's ``modified``
    and the position it was listed at (``cursor_pk``): one query."""
    found = model.objects.in_bulk([page.original_id for page in latest])
    originals = []
    for page in latest:
        original = found.get(page.original_id)
        if original is None:  # unpublished between the two reads
            continue
        original.modified, original.cursor_pk = page.modified, page.pk
        originals.append(original)
    return originals


# --- filters --------------------------------------------------------------------------------------
def _invalid(name: str, message: str):
    return ValidationError({name: [message]})


def _in_utc(value: datetime) -> datetime:
    """``value`` in UTC (the database takes no offset beyond ±15:59); a time within a day of the
    calendar's ends stays at that end."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if value.year < 5000 else datetime.max.replace(tzinfo=UTC)


def parse_datetime_parameter(name: str, raw: str) -> datetime:
    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime

    value = None
    try:
        value = parse_datetime(raw.strip().replace(" ", "+")) if len(raw) <= 40 else None
        if value is not None and timezone.is_aware(value):
            value = _in_utc(value)
        if value is None and len(raw) <= 10:
            day = parse_date(raw.strip())
            value = datetime(day.year, day.month, day.day) if day else None
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise _invalid(
            name,
            _("“%(value)s” is not a date and time in ISO 8601 (e.g. 2026-05-01T12:00:00Z).")
            % {"value": shown_value(raw)},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


#: The form of each filter's codes (the OpenAPI schema says so too): a value in another form is a 400;
#: a well-formed code that names no term matches nothing, with a warning.
CODE_PATTERNS = {
    "country": r"^[A-Za-z]{2}$",
    "region": r"^[0-9]{1,3}$",
    "target": r"^[Gg][Bb][Ff]-[Tt][0-9]{1,2}$",
    "subject": r"^[Ss][Uu][Bb][Jj]-[A-Za-z0-9-]{1,40}$",
    "language": r"^[A-Za-z]{2,3}$",
}
NO_MATCH = Q(pk__in=[])
#: A record identifier as the ``identifier`` filter takes it (a harvester asks for a page of them at once).
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def modified_since(params):
    """The ``modified_since`` filter's time, or None (it applies to the latest pages, see ``items``)."""
    raw = params.get("modified_since")
    return parse_datetime_parameter("modified_since", raw) if raw else None


def items(model, params, *, kind: str, warnings: list):
    """The latest pages (see :func:`latest_pages`) of the groups the query string's filters keep, not
    yet ordered."""
    since = modified_since(params)  # checked first: a bad time is a 400 whatever else is asked
    latest = latest_pages(apply_filters(listed_originals(model), params, kind=kind, warnings=warnings))
    return latest.filter(modified__gte=since) if since is not None else latest


def apply_filters(queryset, params, *, kind: str, warnings: list):
    """``queryset`` (originals) narrowed by the query string's filters, ``modified_since`` apart. A
    value that is not a code is a 400; a code that names no term matches nothing and says so in
    ``warnings``."""
    import re

    for name in ("country", "region", "target", "subject", "language"):
        values = params.getlist(name)
        if not values:
            continue
        model, case = VOCABULARY_PARAMETERS[name]
        condition = Q()
        for raw in values:
            if not re.fullmatch(CODE_PATTERNS[name], raw):
                raise _invalid(
                    name, _("“%(value)s” is not written as a code of this filter.") % {"value": shown_value(raw)}
                )
            relation = "countries" if name == "region" else VOCABULARY_RELATIONS[name]
            if not hasattr(queryset.model, relation):
                condition |= NO_MATCH  # news is not classified: a classified filter leaves none
                continue
            code = raw.zfill(3) if name == "region" else case(raw)
            term = model.objects.filter(code=code).first()
            if term is None:
                warnings.append(
                    _("“%(value)s” is not a known %(filter)s code; it matches nothing.")
                    % {"value": shown_value(raw), "filter": name}
                )
                condition |= NO_MATCH
            elif name == "region":
                codes = region_codes_within(term)
                condition |= Q(regions__code__in=codes) | Q(countries__region__code__in=codes)
            else:
                condition |= Q(**{f"{VOCABULARY_RELATIONS[name]}__code": term.code})
        queryset = queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))
    if kind == "record" and (types := params.getlist("type")):
        models = record_type_models()
        unknown = [value for value in types if value not in models]
        if unknown:
            raise _invalid(
                "type",
                _("“%(value)s” is not a record type; use one of %(codes)s.")
                % {"value": shown_value(unknown[0]), "codes": ", ".join(models)},
            )
        from django.contrib.contenttypes.models import ContentType

        content_types = ContentType.objects.get_for_models(*(models[value] for value in types))
        queryset = queryset.filter(content_type__in=list(content_types.values()))
    if kind == "record" and (identifiers := params.getlist("identifier")):
        if len(identifiers) > MAX_PAGE_SIZE:
            raise _invalid("identifier", _("Ask for at most %(max)s identifiers at once.") % {"max": MAX_PAGE_SIZE})
        for raw in identifiers:
            if not re.fullmatch(IDENTIFIER_PATTERN, raw):
                raise _invalid("identifier", _("“%(value)s” is not an identifier.") % {"value": shown_value(raw)})
        queryset = queryset.filter(identifier__in=identifiers)
    if (text := params.get("q", "").replace("\x00", "").strip()) and kind is not None:
        if len(text) > 200:
            raise _invalid("q", _("Search words are limited to 200 characters."))
        words = (
            Q(title__icontains=text) | Q(summary__icontains=text)
            if hasattr(queryset.model, "summary")
            else Q(title__icontains=text)
        )
        if kind == "record":
            words |= Q(identifier__iexact=text)
        queryset = queryset.filter(words)
    return queryset


# --- cursor pagination ------------------------------------------------------------------------------
def page_size(params) -> int:
    raw = params.get("page_size", "")
    if not raw:
        return DEFAULT_PAGE_SIZE
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw[:4]) <= MAX_PAGE_SIZE and len(raw) <= 3):
        raise _invalid("page_size", _("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE})
    return int(raw)


CURSOR_TIME = r"[0-9]{10}\.[0-9]{6}"
RECORD_CURSOR_PATTERN = rf"^{CURSOR_TIME}_[0-9]{{1,18}}$"
CHANGES_CURSOR_PATTERN = rf"^{CURSOR_TIME}_[01]_[0-9]{{1,18}}$"


def cursor_time(moment: datetime) -> str:
    """A position in time as the cursor writes it: seconds since 1970 (UTC) with microseconds."""
    delta = moment - EPOCH
    return f"{delta.days * 86400 + delta.seconds:010d}.{delta.microseconds:06d}"


def decode_cursor(raw: str, pattern: str) -> tuple:
    """A cursor's parts: the time (aware, UTC) and its integers. Every value of the pattern is a
    position, so that any cursor of the documented form is accepted."""
    import re
    from datetime import timedelta

    if not re.fullmatch(pattern, raw):
        raise _invalid("cursor", _("This cursor is not valid; start again from the first page."))
    when, *numbers = raw.split("_")
    seconds, micro = when.split(".")
    return (EPOCH + timedelta(seconds=int(seconds), microseconds=int(micro)), *map(int, numbers))


def after_cursor(queryset, raw: str | None, field: str = "modified"):
    """Items after the cursor, in (``field``, id) order: pages published since the cursor was made come
    later, so that a client walking the pages misses nothing and sees nothing twice."""
    queryset = queryset.order_by(field, "pk")
    if not raw:
        return queryset
    moment, pk = decode_cursor(raw, RECORD_CURSOR_PATTERN)
    return queryset.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment}, pk__gt=pk))


def cursor_after(page, field: str = "modified") -> str:
    """The position after ``page``: its time and the id it was listed at (an original listed through
    its group's latest page carries that page's id as ``cursor_pk``)."""
    return f"{cursor_time(getattr(page, field))}_{getattr(page, 'cursor_pk', page.pk)}"


# --- the text's language ---------------------------------------------------------------------------------
def requested_language(request, parameter: str | None) -> str:
    """The language asked for (``parameter`` of the query string, else Accept-Language), default English."""
    from django.utils.translation import get_supported_language_variant
    from django.utils.translation.trans_real import parse_accept_lang_header

    if parameter is not None:
        raw = request.query_params.get(parameter)
        if raw:
            if raw.lower() not in LANGUAGE_CODES:
                raise _invalid(
                    parameter,
                    _("Unknown language “%(language)s”; use one of %(codes)s.")
                    % {"language": shown_value(raw), "codes": ", ".join(LANGUAGE_CODES)},
                )
            return raw.lower()
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:200]):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class PageAddresses:
    """Full addresses of many pages for one request without reversing each: Wagtail's own answer for
    the first page of each (site, language), then the same prefix with each page's path. A page type
    with its own routing, or a page that more than one site could serve, gets Wagtail's answer."""

    def __init__(self, request):
        from wagtail.models import Site

        self.request = request
        self.roots = Site.get_site_root_paths()
        self.prefixes: dict = {}

    def __call__(self, page: Page) -> str | None:
        from urllib.parse import quote

        from django.utils.http import RFC3986_SUBDELIMS

        roots = [root for root in self.roots if page.url_path.startswith(root.root_path)]
        if len(roots) != 1 or type(page).get_url_parts is not Page.get_url_parts:
            return page.get_full_url(self.request)
        root = roots[0]
        suffix = quote(page.url_path[len(root.root_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
        key = (root.site_id, root.root_path, page.locale_id)
        if key not in self.prefixes:
            url = page.get_full_url(self.request)
            if url is None or not url.endswith(suffix):
                return url
            self.prefixes[key] = url[: len(url) - len(suffix)]
            return url
        return self.prefixes[key] + suffix


@dataclass
class Item:
    """One page as the API shows it: the original, the page whose text is shown, every address."""

    kind: str
    original: Page
    text: Page
    translations: dict
    modified: datetime

    @property
    def identifier(self) -> str:
        return identifier_of(self.original)


def resolve_items(kind: str, originals: list, language: str, request) -> list[Item]:
    """The items of ``originals`` in ``language``, in a number of queries that does not grow with them."""
    if not originals:
        return []
    base = kind_models()[kind]
    keys = [page.translation_key for page in originals]
    original_pks = {page.pk for page in originals}
    originals_url: dict = {}
    locale = Locale.objects.filter(language_code=language).first()
    group_pages = list(Page.objects.live().public().filter(translation_key__in=keys).select_related("locale"))
    address_of = PageAddresses(request)
    addresses: dict = {}
    texts: dict = {}
    for page in group_pages:
        address = address_of(page)
        addresses.setdefault(page.translation_key, {})[page.locale.language_code] = address
        if page.pk in original_pks:
            originals_url[page.pk] = address
        if locale and page.locale_id == locale.pk and not page.alias_of_id:
            texts[page.translation_key] = page.pk
    wanted = {page.pk for page in originals} | set(texts.values())
    specific = {page.pk: page for page in base.objects.filter(pk__in=wanted).specific()}
    prefetch_for(kind, list(specific.values()))
    items = []
    for page in originals:
        original = specific.get(page.pk, page)
        text = specific.get(texts.get(page.translation_key), original)
        original._api_url = originals_url.get(page.pk)
        items.append(
            Item(
                kind=kind,
                original=original,
                text=text,
                translations=dict(sorted(addresses.get(page.translation_key, {}).items())),
                modified=page.modified,
            )
        )
    return items


def prefetch_for(kind: str, pages: list) -> None:
    """The relations the representation reads, for ``pages`` of mixed types: one query each."""
    from django.db.models import prefetch_related_objects

    if not pages:
        return
    names = ["countries", "regions", "gbf_targets", "subjects", "languages"]
    prefetch_related_objects(pages, "locale", *(name for name in names if hasattr(pages[0], name)))
    if kind == "record":
        from content_types.records.models import RecordAttachment

        attachments: dict = {}
        for attachment in RecordAttachment.objects.filter(page__in=[page.pk for page in pages]).select_related(
            "document", "document__collection"
        ):
            attachments.setdefault(attachment.page_id, []).append(attachment)
        for page in pages:
            page._api_attachments = attachments.get(page.pk, [])
    # Foreign keys of the type's own fields (a country, an organisation): one query per target model.
    wanted: dict = {}
    for page in pages:
        for field in own_fields(type(page)):
            if field.many_to_one and (value := getattr(page, field.attname)) is not None:
                wanted.setdefault(field.related_model, set()).add(value)
    loaded = {}
    for model, pks in wanted.items():
        queryset = model.objects.filter(pk__in=pks)
        if issubclass(model, Page):
            queryset = queryset.filter(live=True)
        loaded[model] = queryset.in_bulk()
    for page in pages:
        page._api_related = {
            field.name: loaded.get(field.related_model, {}).get(getattr(page, field.attname))
            for field in own_fields(type(page))
            if field.many_to_one
        }


# --- a type's own fields ------------------------------------------------------------------------------
#: Fields no visitor of the public site sees (experts' contact details are for signed-in members).
PRIVATE_FIELDS = {"email", "phone", "contact_email", "contact_phone"}
#: Fields the representation already carries under its own names.
SHOWN_ELSEWHERE = {"title", "summary", "body", "identifier", "record_type", "licence", "source_portal", "source_url"}
_OWN_FIELDS: dict = {}


def _public_target(model) -> bool:
    """A foreign key the API may follow: to a vocabulary term (by code) or a page, never to a person."""
    return issubclass(model, Page) or any(field.name == "code" for field in model._meta.fields)


def own_fields(model) -> list:
    """The concrete fields a page type adds to the shared ones (its table's), private ones left out."""
    if model not in _OWN_FIELDS:
        from content_types.records.models import RecordPage

        shared = {field.name for field in RecordPage._meta.concrete_fields} if issubclass(model, RecordPage) else set()
        shared |= {field.name for field in Page._meta.concrete_fields}
        _OWN_FIELDS[model] = [
            field
            for field in model._meta.concrete_fields
            if field.name not in shared
            and field.name not in PRIVATE_FIELDS
            and field.name not in SHOWN_ELSEWHERE
            and not field.name.endswith("_ptr")
            and field.get_internal_type() != "StreamField"
            and (not field.many_to_one or _public_target(field.related_model))
        ]
    return _OWN_FIELDS[model]
