"""The portal's texts per language, edited in the Wagtail admin's settings by an Editor."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Site

from cms.site_settings.models import PortalSettings, PortalText

pytestmark = pytest.mark.django_db


def settings_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["site_settings", "portalsettings", site.pk])


def form_values(html: str) -> dict:
    """What the settings form would post as it stands (the admin's own rendering of it)."""
    form = BeautifulSoup(html, "html.parser").select_one("form[method=post]")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            selected = field.select("option[selected]")
            data[name] = (
                [option["value"] for option in selected]
                if field.has_attr("multiple")
                else (selected[0]["value"] if selected else "")
            )
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def with_text_rows(data: dict, rows: list[dict]) -> dict:
    """``data`` with ``rows`` added to the "texts in other languages" inline."""
    start = int(data["texts-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        prefix = f"texts-{start + offset}-"
        data.update({f"{prefix}{name}": value for name, value in row.items()})
        data.update({f"{prefix}id": "", f"{prefix}ORDER": str(start + offset + 1), f"{prefix}DELETE": ""})
    data["texts-TOTAL_FORMS"] = str(start + len(rows))
    return data


def errors_of(response) -> str:
    document = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in document.select(".error-message, .w-field__errors"))


@pytest.fixture
def editor_client(client, editor, site_pages):
    client.force_login(editor)
    return client


def test_editor_gives_the_russian_portal_name_and_it_is_shown(editor_client, client):
    PortalText.objects.filter(language="ru").delete()
    data = form_values(editor_client.get(settings_url()).content.decode())
    row = {"language": "ru", "portal_name": "Портал CHM", "tagline": "", "contact_address": ""}

    response = editor_client.post(settings_url(), with_text_rows(data, [row]))

    assert response.status_code == 302, errors_of(response)
    text = PortalText.objects.get(language="ru")
    assert text.portal_name == "Портал CHM"
    portal = PortalSettings.objects.get()
    assert portal.footer_links.count() == 3  # the rest of the settings kept as they were
    page = BeautifulSoup(client.get("/ru/").content.decode(), "html.parser")
    assert page.select_one(".brand-name").get_text() == "Портал CHM"
    assert not page.select_one(".brand-name").has_attr("lang")
    assert page.select_one(".brand-tagline")["lang"] == "en"  # no Russian tagline: the default one, marked


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Please correct the duplicate data"), ("en", "The texts in the default language are the fields")],
)
def test_a_second_row_for_a_language_or_one_for_the_default_is_refused(editor_client, language, message):
    before = list(PortalText.objects.order_by("language").values_list("language", "tagline"))
    data = form_values(editor_client.get(settings_url()).content.decode())
    row = {"language": language, "portal_name": "", "tagline": "Typed tagline kept", "contact_address": ""}

    response = editor_client.post(settings_url(), with_text_rows(data, [row]))

    assert response.status_code == 200
    assert message in errors_of(response)
    assert "Typed tagline kept" in response.content.decode()
    assert list(PortalText.objects.order_by("language").values_list("language", "tagline")) == before


def test_people_without_the_settings_permission_cannot_change_the_texts(client, reviewer, site_pages):
    client.force_login(reviewer)
    before = PortalText.objects.count()

    response = client.post(settings_url(), {"texts-TOTAL_FORMS": "1", "texts-0-language": "ru"})

    assert response.status_code in (302, 403)
    assert PortalText.objects.count() == before
