"""Section pages: the Awards section says that award cycles will be announced there while it holds
none, and gives way to its content as soon as it has some."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from cms.home.models import SectionPage, StandardPage

pytestmark = pytest.mark.django_db

AWARDS_MESSAGE = "No award cycle has been announced yet. Award cycles will be announced on this page"


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_empty_awards_section_says_award_cycles_will_be_announced(client, site_pages):
    awards = site_pages["awards"]
    assert awards.section == SectionPage.Section.AWARDS

    document = soup(client.get(awards.url))

    message = document.select_one("main .section-empty")
    assert AWARDS_MESSAGE in message.get_text()
    assert not document.select("main ul.cards")


def test_every_language_has_the_message(client, site_pages):
    for locale in Locale.objects.all():
        awards = site_pages["awards"].get_translation(locale)
        assert soup(client.get(awards.url)).select_one("main .section-empty") is not None, locale.language_code


def test_the_message_gives_way_to_the_first_award_cycle(client, site_pages):
    awards = site_pages["awards"]
    cycle = awards.add_child(instance=StandardPage(title="CHM Award 2026", slug="chm-award-2026"))
    cycle.save_revision().publish()

    document = soup(client.get(awards.url))

    assert document.select_one("main .section-empty") is None
    assert [link.get_text() for link in document.select("main ul.cards .card-title a")] == ["CHM Award 2026"]


def test_a_draft_child_does_not_hide_the_message(client, site_pages):
    awards = site_pages["awards"]
    awards.add_child(instance=StandardPage(title="Draft cycle", slug="draft-cycle", live=False))

    assert soup(client.get(awards.url)).select_one("main .section-empty") is not None


def test_other_sections_say_nothing_when_empty():
    assert SectionPage(section=SectionPage.Section.ABOUT).empty_message() == ""
    assert SectionPage(section=SectionPage.Section.OTHER).empty_message() == ""
    assert SectionPage(section=SectionPage.Section.AWARDS).empty_message()
