"""The shared rendering of the public forms (cms/forms.py, templates/forms/), server side.

What a person and its assistive technology get before any script runs: requirement marks with their
legend, errors tied to their field, a summary linking to each, a title that starts with "Error:",
a length limit shown (never enforced by cutting) and checked by the server with a clear message.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.urls import reverse

from cms.forms import PLURAL_SAMPLES, PortalFormMixin, TypeaheadSelectMultiple, counter_messages
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


class NoteForm(PortalFormMixin, forms.Form):
    """A form of every kind of field the portal's forms use."""

    title = forms.CharField(label="Title", max_length=20)
    note = forms.CharField(label="Note", max_length=50, required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("x", "X"), ("y", "Y")], required=False, widget=TypeaheadSelectMultiple
    )
    required_to_submit = ("topics",)


def render(form) -> BeautifulSoup:
    return BeautifulSoup("".join(str(bound.as_field_group()) for bound in form), "html.parser")


def test_required_fields_are_marked_before_the_first_attempt():
    html = render(NoteForm())

    title = html.select_one("#id_title")
    assert title.has_attr("required")
    assert html.select_one("label[for=id_title] .required-marker").get_text() == "*"
    assert html.select_one("label[for=id_title] .required-marker")["aria-hidden"] == "true"
    # A group has no native "required": its legend says it in words.
    assert "required" in html.select_one("fieldset legend .visually-hidden").get_text()
    # Optional fields carry no mark; a field needed only to submit says so, and is not "required".
    assert html.select_one("label[for=id_note] .required-marker") is None
    assert html.select_one("label[for=id_topics] .required-to-submit").get_text() == "(required to submit)"
    assert not html.select_one("#id_topics").has_attr("required")
    assert NoteForm().visible_requirements() == {"required", "submit"}


def test_errors_are_tied_to_their_field_and_listed_with_links():
    form = NoteForm({"title": "", "note": "", "topics": []})
    assert not form.is_valid()
    html = render(form)

    title = html.select_one("#id_title")
    assert title["aria-invalid"] == "true"
    assert title["aria-describedby"].split() == ["id_title_count_hint", "id_title_error"]
    error = html.select_one("#id_title_error")
    assert "This field is required." in error.get_text()
    assert error.select_one(".visually-hidden").get_text().strip() == "Error:"
    assert not title.has_attr("autofocus")
    # A radio group describes itself on its fieldset; the summary links to its first radio.
    fieldset = html.select_one("fieldset")
    assert "id_kind_error" in fieldset["aria-describedby"].split()
    assert html.select_one("#id_kind_0")["aria-invalid"] == "true"
    assert form.error_summary() == [
        ("id_title", "Title", "This field is required."),
        ("id_kind_0", "Kind", "This field is required."),
    ]


def test_form_wide_errors_link_to_the_first_field():
    form = NoteForm({"title": "x", "kind": "a"})
    form.is_valid()
    form.add_error(None, "These do not go together.")
    assert form.error_summary()[0] == ("id_title", "", "These do not go together.")


def test_a_length_limit_is_shown_not_enforced_by_cutting_and_checked_by_the_server():
    html = render(NoteForm())
    note = html.select_one("#id_note")
    assert not note.has_attr("maxlength")
    assert note["data-char-count"] == "id_note_count"
    assert html.select_one("#id_note_count_hint").get_text() == "You can enter up to 50 characters."
    counter = html.select_one("#id_note_count")
    assert counter["data-limit"] == "50"
    assert counter.select_one("[aria-live=polite]") is not None
    assert set(json.loads(counter["data-messages"])) == {"left", "over"}

    form = NoteForm({"title": "x", "kind": "a", "note": "n" * 51})
    assert not form.is_valid()
    assert form.errors["note"] == ["Ensure this value has at most 50 characters (it has 51)."]
    assert "n" * 51 in str(form["note"])  # what was typed comes back


def test_line_breaks_count_as_one_character_as_in_the_browser():
    # Browsers send CRLF but count one character per line break; the server counts as they do.
    form = NoteForm({"title": "x", "kind": "a", "note": "a" * 24 + "\r\n" + "b" * 25})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "a" * 24 + "\n" + "b" * 25


def test_counter_texts_cover_each_plural_category():
    messages = counter_messages()
    assert set(messages["left"]) == set(PLURAL_SAMPLES)
    assert messages["left"][1] == "%(count)s character left"
    assert messages["left"][5] == "%(count)s characters left"
    assert messages["over"][100] == "%(count)s characters too many"


def test_the_type_ahead_carries_its_strings_and_stays_a_plain_select():
    html = render(NoteForm())
    select = html.select_one("select#id_topics")
    assert select.has_attr("multiple") and select["size"] == "8"
    strings = json.loads(select["data-typeahead"])
    assert strings["remove"] == "Remove %(item)s"
    assert set(strings) == {"hint", "noResults", "remove", "added", "removed"}


def test_a_failed_sign_in_titles_the_page_error_and_links_to_the_user_name(client, make_user):
    make_user("someone")
    url = reverse("accounts:login")

    page = soup(client.get(url))
    assert not page.title.get_text().startswith("Error")
    assert page.select_one("#id_username").has_attr("required")
    assert page.select_one("#id_username_count") is None  # no counter on sign-in fields

    page = soup(client.post(url, {"username": "someone", "password": "wrong"}))

    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one("[data-error-summary]")
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.select_one("[role=alert] h2").get_text() == "Please correct these problems"
    link = summary.select_one("a")
    assert link["href"] == "#id_username"
    assert "The user name or password is not right." in link.get_text()
    assert not page.select_one("#id_username").has_attr("autofocus")  # the summary takes the focus

    response = client.post(url, {"username": "someone", "password": PASSWORD})
    assert response.status_code == 302


def test_the_profile_form_marks_and_explains_its_errors(client, make_user):
    user = make_user("profiled")
    client.force_login(user)
    url = reverse("accounts:profile")

    page = soup(client.get(url))
    assert page.select_one("label[for=id_email] .required-marker") is not None
    assert "(*) are required" in page.select_one(".requirements-legend").get_text()
    assert page.select_one("#id_organisation")["data-char-count"] == "id_organisation_count"

    long_name = "O" * 256
    page = soup(client.post(url, {"email": "not an address", "organisation": long_name, "preferred_language": "en"}))

    assert page.title.get_text().startswith("Error: ")
    assert page.select_one("#id_email")["aria-invalid"] == "true"
    assert "id_email_error" in page.select_one("#id_email")["aria-describedby"]
    assert "at most 255 characters (it has 256)" in page.select_one("#id_organisation_error").get_text()
    assert page.select_one("#id_organisation")["value"] == long_name
    assert {a["href"] for a in page.select("[data-error-summary] a")} == {"#id_email", "#id_organisation"}
    user.profile.refresh_from_db()
    assert user.profile.organisation == ""


def test_a_page_without_a_failed_form_keeps_its_title(client, site_pages):
    page = soup(client.get("/en/records/?country=XX"))
    assert not page.title.get_text().startswith("Error")
