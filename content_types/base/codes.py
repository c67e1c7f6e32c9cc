"""The stable codes that listing and search addresses use, and the older addresses they replace.

Filters name vocabulary terms by their codes (``country=FR``, ``target=GBF-T3``, ``subject=SUBJ-IAS``,
``language=fr``, ``region=150`` — the UN M49 number) and page types by a short code (``type=need``).
Older addresses used database ids (``type=42``, ``country=75``) or model labels
(``type=records.needpage``); :func:`legacy_redirect` sends them to the address in codes.
"""

import re
from collections.abc import Mapping
from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.utils.translation import gettext

from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject

MAX_SHOWN_VALUE = 60
MAX_ID_DIGITS = 9
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

# Query-string parameter → (vocabulary, how its codes are written).
VOCABULARY_PARAMETERS = {
    "country": (Country, str.upper),
    "region": (Region, None),
    "target": (GBFTarget, str.upper),
    "subject": (Subject, str.upper),
    "language": (Language, str.lower),
}


def page_type_code(model) -> str:
    """A page type's public code: its model name without ``page`` (``NeedPage`` → ``need``)."""
    return model._meta.model_name.removesuffix("page")


def shown_value(value: str) -> str:
    """A visitor's value as a message may quote it: one line, no control characters, not too long."""
    value = _CONTROL.sub("", str(value)).strip()
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


def in_sentence(label) -> str:
    """A field label as it reads inside a sentence: "Country" → "country", "GBF target" unchanged."""
    label = str(label)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def unknown_code_message(label, value) -> str:
    """The message for a filter value that names no known term; the filter is not applied."""
    return gettext("“%(value)s” is not a known %(facet)s code; that filter was not applied.") % {
        "value": shown_value(value),
        "facet": in_sentence(label),
    }


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


def _normalised(name: str, value: str) -> str:
    """The value as codes are written (``fr`` → ``FR`` for a country; ``2`` → ``002`` for a region)."""
    _model, case = VOCABULARY_PARAMETERS[name]
    if name == "region":
        return value.zfill(3) if _is_id(value) and len(value) < 3 else value
    return case(value) if value.isascii() else value


def canonical_pairs(params, type_aliases: Mapping[str, str] | None = None) -> list[tuple[str, str]] | None:
    """``params`` (a QueryDict) with old-style filter values replaced by codes, in the same order;
    None when every value is already written as a code (no query is made then).

    A database id of a vocabulary term becomes the term's code; ``type_aliases`` maps an old type value
    (a content-type id, a model label) to the type's code. Ids that match nothing stay as they are,
    for the listing to report them as unknown.
    """
    type_aliases = type_aliases or {}
    pairs = [(name, value) for name, values in params.lists() for value in values]
    changed = False
    ids: dict[str, set[int]] = {}
    for index, (name, value) in enumerate(pairs):
        if name == "type" and value in type_aliases:
            pairs[index] = (name, type_aliases[value])
            changed = True
        elif name in VOCABULARY_PARAMETERS:
            if name != "region" and _is_id(value):
                ids.setdefault(name, set()).add(int(value))
                continue
            normalised = _normalised(name, value)
            if normalised != value:
                pairs[index] = (name, normalised)
                changed = True
    codes_by_id = {
        name: dict(VOCABULARY_PARAMETERS[name][0].objects.filter(pk__in=pks).values_list("pk", "code"))
        for name, pks in ids.items()
    }
    for index, (name, value) in enumerate(pairs):
        if name in codes_by_id and _is_id(value) and int(value) in codes_by_id[name]:
            pairs[index] = (name, codes_by_id[name][int(value)])
            changed = True
    return pairs if changed else None


def legacy_redirect(request, type_aliases: Mapping[str, str] | None = None):
    """A permanent redirect from an address with old-style filter values to the one in codes, keeping
    every other parameter; None when the address already uses codes."""
    pairs = canonical_pairs(request.GET, type_aliases)
    if pairs is None:
        return None
    path = "/" + request.path.lstrip("/")  # never a scheme-relative "//host" address
    return HttpResponsePermanentRedirect(f"{path}?{urlencode(pairs)}")
