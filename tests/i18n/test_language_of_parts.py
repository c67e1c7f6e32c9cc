"""WCAG 3.1.2 (Language of Parts): the Arabic and French pages of an English record mark every
English text with its language, and leave text in the page's own language unmarked."""

import re

import pytest
from bs4 import BeautifulSoup, NavigableString
from bs4.element import Comment, Doctype
from django.conf import settings

from content_types.records.models import RelatedRecord
from tests.records.factories import RECORD_FACTORIES, NeedFactory, attach_document

pytestmark = pytest.mark.django_db

# Any letter of the Latin script (basic, Latin-1 and Latin Extended-A/B).
LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
# Language-neutral tokens: codes and identifiers in capitals and digits (CHM-NEED-FR-2026-0001,
# GBF-T3, PDF, CC BY-SA 4.0, UTC+01:00), time-zone identifiers (Africa/Nairobi), web addresses,
# e-mail addresses, and the names of formats that every language writes alike.
NEUTRAL_TOKEN = re.compile(
    r"^(?:[A-Z0-9]+(?:[-/.+:][A-Z0-9]+)*"
    r"|[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_+-]+)+"
    r"|(?:https?://|www\.)\S+"
    r"|[^@\s]+@[^@\s]+\.[^@\s]+"
    r"|iCalendar)$"
)
TOKEN_PUNCTUATION = "()[]{}.,;:!?«»\"'“”‘’،؛—–·…"
# English words that French (and Arabic) text never contains.
ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|is|to|for|with|this|that|from|are|was|which)\b", re.IGNORECASE)
SKIPPED = {"script", "style", "template", "noscript"}
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}

BODY = [
    ("heading", {"text": "Context of the request", "level": "h2"}),
    ("paragraph", "<p>Mangroves of the coast are declining; the ministry asks for help with mapping.</p>"),
]


def text_nodes(html: str):
    """(text, element) for every text a visitor reads in the page's body."""
    body = BeautifulSoup(html, "html.parser").body
    for node in body.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, (Comment, Doctype)):
            continue
        if node.find_parent(SKIPPED) is not None or not node.strip():
            continue
        yield str(node).strip(), node.parent


def nearest(element, attribute: str) -> str | None:
    """The value of ``attribute`` on ``element`` or its nearest ancestor that has it."""
    while element is not None:
        if element.has_attr(attribute):
            return element[attribute]
        element = element.parent
    return None


def isolated(element) -> bool:
    """Inside a <bdi>, or an element whose nearest ``dir`` is ltr."""
    return element.find_parent("bdi") is not None or element.name == "bdi" or nearest(element, "dir") == "ltr"


def unmarked_latin_text(html: str, page_language: str) -> list[str]:
    """The rule for a right-to-left page in ``page_language``, checked on each text node of <body>
    (scripts and styles excepted; the head's <title> and attributes are not text nodes):

    - a text node with no Latin letter passes;
    - a text node whose nearest ``lang`` (the element's own or its nearest ancestor's, ending at
      <html>) is not ``page_language`` passes: it is marked as being in another language;
    - otherwise, after stripping punctuation around them, each whitespace-separated token that has
      a Latin letter must be language-neutral — a code or identifier in capitals, digits and
      ``-/.+:`` (CHM-NEED-FR-2026-0001, GBF-T3, PDF, UTC+01:00), a time-zone identifier
      (Africa/Nairobi), a web or e-mail address, or the format name iCalendar — and the token must
      be isolated: the node is inside a <bdi> or an element whose nearest ``dir`` is ``ltr``, so
      that its punctuation and numbers keep their order in right-to-left text.

    Returns the text nodes that break the rule, with the tag they are in.
    """
    failures = []
    for text, element in text_nodes(html):
        if not LATIN.search(text) or nearest(element, "lang") != page_language:
            continue
        tokens = [token.strip(TOKEN_PUNCTUATION) for token in text.split()]
        words = [token for token in tokens if LATIN.search(token)]
        if not (all(NEUTRAL_TOKEN.match(token) for token in words) and isolated(element)):
            failures.append(f"<{element.name}> {text!r}")
    return failures


def unmarked_english_text(html: str, page_language: str, english_texts: list[str]) -> list[str]:
    """The rule for a page in another left-to-right language (French), where the script cannot
    tell the languages apart: no text node whose nearest ``lang`` is ``page_language`` contains
    an English function word (the, of, and, is, to, for, with, this, that, from, are, was, which)
    or one of the record's own English texts."""
    failures = []
    for text, element in text_nodes(html):
        if nearest(element, "lang") != page_language:
            continue
        if ENGLISH_WORDS.search(text) or any(english in text for english in english_texts):
            failures.append(f"<{element.name}> {text!r}")
    return failures


def marked_languages(html: str) -> set[str]:
    """Every value of a ``lang`` attribute in the page."""
    return {element["lang"] for element in BeautifulSoup(html, "html.parser").select("[lang]")}


def english_record(factory):
    """A published English record with a body, an attachment and a related record."""
    record = factory(
        title="Restoration of the coastal mangroves",
        summary="A request from the ministry for the mapping of mangroves and the training of rangers.",
        body=BODY,
    )
    attach_document(record, title="Map of the mangrove areas")
    related = NeedFactory(title="Training of the rangers in the north")
    RelatedRecord.objects.create(page=record, record=related, sort_order=0)
    return record


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_arabic_page_of_an_english_record_marks_every_english_text(client, translate_to, name):
    record = english_record(RECORD_FACTORIES[name])
    arabic = translate_to(record, "ar", alias=True)

    response = client.get(arabic.url)

    assert response.status_code == 200
    html = response.content.decode()
    document = BeautifulSoup(html, "html.parser")
    assert document.html["lang"] == "ar" and document.html["dir"] == "rtl"
    assert document.select_one("h1")["lang"] == "en"
    assert document.select_one("h1")["dir"] == "ltr"
    assert unmarked_latin_text(html, "ar") == []
    assert marked_languages(html) <= LANGUAGE_CODES


@pytest.mark.parametrize("name", sorted(RECORD_FACTORIES))
def test_french_page_of_an_english_record_marks_every_english_text(client, translate_to, name):
    record = english_record(RECORD_FACTORIES[name])
    french = translate_to(record, "fr", alias=True)
    english_texts = [record.title, record.summary, "Map of the mangrove areas", "Training of the rangers"]

    response = client.get(french.url)

    html = response.content.decode()
    assert BeautifulSoup(html, "html.parser").html["lang"] == "fr"
    assert unmarked_english_text(html, "fr", english_texts) == []
    assert marked_languages(html) <= LANGUAGE_CODES


def test_the_rule_catches_unmarked_english_and_unisolated_codes():
    """The checks above would fail on a page that forgets a mark."""
    page = (
        '<html lang="ar" dir="rtl"><body><h1>Restoration of mangroves</h1><p>الرمز CHM-NEED-FR-2026-0001</p>'
        '<p>الرمز <bdi>CHM-NEED-FR-2026-0002</bdi></p><p lang="en" dir="ltr">Marked text</p></body></html>'
    )
    assert unmarked_latin_text(page, "ar") == [
        "<h1> 'Restoration of mangroves'",
        "<p> 'الرمز CHM-NEED-FR-2026-0001'",
    ]
    french = '<html lang="fr"><body><p>Restauration des mangroves</p><p>Map of the areas</p></body></html>'
    assert unmarked_english_text(french, "fr", []) == ["<p> 'Map of the areas'"]


def test_other_arabic_pages_mark_their_english_text(client, translate_to, site_pages):
    """The same rule on the Arabic pages of an English event and network, and on the Arabic
    listings, search and home page that show them with English vocabulary names."""
    from tests.events.factories import EventFactory
    from tests.networks.factories import MembershipFactory, NetworkFactory

    event = EventFactory(organisers="Ministry of Environment\nUnited Nations Environment Programme")
    network = NetworkFactory()
    MembershipFactory(network=network)
    need = NeedFactory(title="Mapping of the mangroves")
    urls = [translate_to(page, "ar", alias=True).url for page in (event, network, need)]
    urls += ["/ar/", "/ar/events/", "/ar/networks/", "/ar/records/", "/ar/search/?q=mangroves"]
    urls += ["/ar/search/?target=GBF-T3", "/ar/records/?subject=SUBJ-IAS"]

    failures = {url: unmarked_latin_text(client.get(url).content.decode(), "ar") for url in urls}

    assert {url: found for url, found in failures.items() if found} == {}
