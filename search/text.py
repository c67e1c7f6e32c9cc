"""Text helpers both backends share: language → analyser, CJK bigrams, safe highlighting."""

import operator
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters mark the start and end of a match inside a fragment; the fragment is
# escaped as a whole and only then are they turned into <mark> tags, so nothing else survives.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"

MAX_QUERY_LENGTH = 200

# PostgreSQL text search configurations (built in, no extension) by language; Chinese has no
# stemmer, so it is split into bigrams (as Elasticsearch's ``cjk`` analyser does) and indexed 'simple'.
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "ru": "russian",
    "zh": "simple",
}

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RUN = re.compile(f"[{_CJK}]+")
WORD = re.compile(rf"[{_CJK}]+|[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# Control characters, our highlight markers and lone surrogates (which no database or JSON encoder takes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def base_language(code: str | None) -> str:
    """``zh-hans`` → ``zh``, ``fr-ca`` → ``fr``."""
    return (code or "en").split("-")[0].lower()


def text_search_config(language_code: str | None) -> str:
    return TEXT_SEARCH_CONFIGS.get(base_language(language_code), "simple")


def clean_text(text: str | None) -> str:
    """One line of plain text without control characters or highlight markers."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", str(text or ""))).strip()


def cjk_bigrams(text: str) -> str:
    """The overlapping character pairs of every CJK run in ``text`` ("生物多样性" → "生物 物多 多样 样性")."""
    # ``isascii`` reads a flag of the string (no scan); otherwise one scan in C, cheaper than max(text).
    if not text or text.isascii() or not CJK_RUN.search(text):
        return ""
    terms = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            terms.append(run)
        else:
            terms += map(operator.add, run, run[1:])  # each character and the next
    return " ".join(terms)


def prepare_query_text(text: str) -> str:
    """The query with each CJK run replaced by its bigrams, so that it matches ``cjk_bigrams`` terms."""
    return CJK_RUN.sub(lambda match: f" {cjk_bigrams(match.group(0))} ", text).strip()


def query_terms(text: str) -> list[str]:
    """The words of a query, without operators (quotes, a leading minus, OR)."""
    terms = []
    for match in WORD.finditer(text or ""):
        word = match.group(0)
        start = match.start()
        if word.lower() == "or" or (start and text[start - 1] == "-" and (start == 1 or text[start - 2].isspace())):
            continue
        terms.append(word)
    return terms


def render_highlight(fragment: str) -> SafeString:
    """Escape ``fragment`` and turn the match markers into ``<mark>`` (balanced, or dropped)."""
    fragment = fragment or ""
    if fragment.count(HIGHLIGHT_START) != fragment.count(HIGHLIGHT_STOP):
        fragment = fragment.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    html = str(escape(fragment)).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added


def mark_terms(text: str, terms: list[str]) -> str:
    """``text`` with every case-insensitive occurrence of ``terms`` wrapped in the match markers."""
    words = sorted({term for term in terms if term}, key=len, reverse=True)
    if not words or not text:
        return text or ""
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda match: f"{HIGHLIGHT_START}{match.group(0)}{HIGHLIGHT_STOP}", text)


def snippet(text: str, terms: list[str], length: int = 240) -> str:
    """About ``length`` characters of ``text`` around the first match of ``terms``, matches marked."""
    text = clean_text(text)
    if not text:
        return ""
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if term and term.lower() in lowered]
    start = 0
    if positions:
        start = max(0, min(positions) - length // 3)
        while start > 0 and not text[start - 1].isspace() and min(positions) - start < length // 2:
            start -= 1
    end = min(len(text), start + length)
    while end < len(text) and not text[end - 1].isspace() and end - start < length + 30:
        end += 1
    piece = text[start:end].strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + mark_terms(piece, terms) + suffix
