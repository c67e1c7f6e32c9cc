"""A suggestion's reasons, stored as data, written out in the reader's language.

Vocabulary names come from the per-process copy of the vocabularies (no query); a name that falls
back to English, and the shared words of the text component when they are in another language than
the page's, are marked with ``lang`` and ``dir`` (WCAG 3.1.2).
"""

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext, ngettext

from content_types.base.classification import _terms
from content_types.base.languages import direction, same_language
from content_types.records.models.assistance import SupportKind


def _marked(text: str, language: str | None) -> SafeString:
    """``text``, in a span naming its language when it is not the page's."""
    if language and not same_language(language, get_language()):
        return format_html('<span lang="{}" dir="{}">{}</span>', language, direction(language), text)
    return format_html("{}", text)


def _names(model, ids) -> SafeString:
    terms = _terms(model)
    parts = [_marked(term.name, term.text_language) for term in (terms.get(pk) for pk in ids) if term is not None]
    return format_html_join(", ", "{}", ((part,) for part in parts))


def _kind_label(value: str) -> str:
    try:
        return str(SupportKind(value).label)
    except ValueError:
        return value


def render_reason(reason: dict) -> SafeString:
    """One reason as a sentence (HTML-safe)."""
    from content_types.vocabularies.models import Country, Language, Region, Subject

    code, values = reason.get("code"), reason.get("values") or []
    if code == "targets":
        numbers = get_text_list([str(number) for number in values], gettext("and"))
        text = ngettext("Shares GBF target %(numbers)s", "Shares GBF targets %(numbers)s", len(values)) % {
            "numbers": numbers
        }
        return format_html("{}", text)
    if code == "subjects":
        label = ngettext("Shares the subject", "Shares the subjects", len(values))
        return format_html("{}: {}", label, _names(Subject, values))
    if code == "kind":
        kind = _kind_label(values[0]) if values else ""
        if reason.get("expert"):
            return format_html("{}", gettext("An expert for the kind of support sought: %(kind)s") % {"kind": kind})
        return format_html("{}", gettext("Same kind of support: %(kind)s") % {"kind": kind})
    if code == "country":
        return format_html("{}: {}", gettext("Same country"), _names(Country, values))
    if code == "region":
        return format_html("{}: {}", gettext("Same region"), _names(Region, values))
    if code == "languages":
        terms = _terms(Language)
        names = [_marked(terms[pk].name, terms[pk].text_language) for pk in values if pk in terms]
        joined = format_html_join(f" {gettext('and')} ", "{}", ((name,) for name in names))
        return format_html(gettext("Both in {languages}"), languages=joined)
    if code == "availability":
        starts = parse_date(values[0]) if values else None
        if starts is None:
            return format_html("{}", gettext("Available now"))
        return format_html("{}", gettext("Available from %(date)s") % {"date": date_format(starts)})
    if code == "text":
        words = format_html_join(", ", "{}", ((_marked(word, reason.get("language")),) for word in values))
        return format_html("{}: {}", gettext("Similar wording"), words)
    return format_html("{}", code or "")


def render_reasons(reasons: list[dict]) -> list[SafeString]:
    return [render_reason(reason) for reason in reasons]
