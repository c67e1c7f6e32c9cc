"""Record import: the dry run writes nothing and reports every problem; confirming writes through the
review or publishes in every language; and everyone who may not import, or may not change a record, is
refused."""

import io
import re
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Revision

from cms.accounts import roles
from content_types.records.models import NeedPage, RecordPage
from interop.transfer import pending
from interop.transfer.columns import EXPORT_COLUMNS, template_columns
from workflows.review.models import Submission
from workflows.review.policy import State

from .conftest import csv_bytes, need_row, signed_in, upload

pytestmark = pytest.mark.django_db

UPLOAD = reverse("record_import:upload")


def start(browser, content: bytes, mode="review", name="records.csv"):
    """Step 1: upload; returns the report's URL (or the response when the upload was refused)."""
    response = browser.post(UPLOAD, {"file": upload(content, name), "mode": mode})
    if response.status_code != 302:
        return response
    return response["Location"]


def dry_run(browser, content, mode="review", name="records.csv"):
    location = start(browser, content, mode, name)
    assert isinstance(location, str), location.content.decode()[:2000]
    return location, browser.get(location)


def confirm(browser, location, response, capture):
    """Step 3: the confirmation starts the job (run at once, eagerly, after the commit); returns the
    job's page, or the confirmation's response when it was refused."""
    signature = response.context["report"].signature()
    with capture(execute=True):
        posted = browser.post(location + "confirm/", {"signature": signature})
    if posted.status_code != 302:
        return posted
    return browser.get(posted["Location"])


def counts():
    return (
        Page.objects.count(),
        Submission.objects.count(),
        Revision.objects.count(),
    )


# --- the dry run ------------------------------------------------------------------------------


def test_the_dry_run_writes_nothing_and_counts_what_it_would_do(french_editor):
    browser = signed_in(french_editor)
    rows = [need_row("Marine spatial planning"), need_row("Wetlands", targets="GBF-T99"), need_row("")]
    location = start(browser, csv_bytes(rows))
    before = counts()
    response = browser.get(location)
    assert response.status_code == 200
    assert counts() == before
    report = response.context["report"]
    assert (report.created, report.updated, report.skipped) == (1, 0, 2)
    html = response.content.decode()
    assert 'data-count="created">1<' in html and 'data-count="skipped">2<' in html


def test_the_report_names_row_column_and_message_for_each_problem(french_editor):
    rows = [
        need_row("Fine"),
        need_row("Unknown target", targets="GBF-T3;GBF-T99"),
        need_row("Bad date", needed_by="31/31/2026"),
        need_row("No kind", support_kind="cooking"),
        need_row("Wrong type", type="spaceship"),
        need_row("No targets", targets=""),
        need_row("", summary="A title is missing"),
    ]
    header = [*rows[0], "needed_by"]
    _location, response = dry_run(signed_in(french_editor), csv_bytes(rows, header=header))
    problems = response.context["report"].problems
    by_row = {}
    for number, column, message in problems:
        by_row.setdefault(number, []).append((column, message))
    assert 2 not in by_row  # the header is line 1; the first record, line 2, is fine
    assert by_row[3] == [("targets", "Unknown code: GBF-T99.")]
    assert [column for column, _m in by_row[4]] == ["needed_by"]
    assert [column for column, _m in by_row[5]] == ["support_kind"]
    assert by_row[6][0][0] == "type" and "need" in by_row[6][0][1]
    assert by_row[7][0][0] == "targets" and "Choose at least one value" in by_row[7][0][1]
    assert by_row[8] == [("title", "This field is required.")]
    html = response.content.decode()
    assert "Unknown code: GBF-T99." in html


def test_the_report_is_in_the_editors_language(french_editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(french_editor)
    profile.preferred_language = "fr"
    profile.save()
    _location, response = dry_run(signed_in(french_editor), csv_bytes([need_row("")]))
    (number, column, message) = response.context["report"].problems[0]
    assert (number, column) == (2, "title")
    from django import forms
    from django.utils import translation

    with translation.override("fr"):
        assert message == str(forms.Field.default_error_messages["required"]) != "This field is required."


def test_the_dry_run_reads_each_vocabulary_once_however_many_rows(french_editor):
    browser = signed_in(french_editor)
    measured = {}
    for size in (2, 6):
        location = start(browser, csv_bytes([need_row(f"Need {i}", subjects="") for i in range(size)]))
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(location).status_code == 200
        measured[size] = len(queries)
        for table in ("vocabularies_country", "vocabularies_gbftarget", "vocabularies_language"):
            assert sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]) == 1, table
    assert measured[6] == measured[2], measured  # vocabularies, sections and locales read once per file
    assert measured[2] <= 40, measured


# --- confirming -------------------------------------------------------------------------------


def test_drafts_enter_the_review_and_reach_the_screening_inbox(french_editor, secretariat_editor, make_user):
    from .conftest import national_editor

    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Seagrass mapping"), need_row("Coral survey")]))
    done = confirm(browser, location, response, _capture())
    assert done.status_code == 200, done.content.decode()[:2000]
    submissions = list(Submission.objects.select_related("page").order_by("pk"))
    assert [s.page.title for s in submissions] == ["Seagrass mapping", "Coral survey"]
    assert {s.state for s in submissions} == {State.SCREENING}
    assert all(s.submitter == french_editor and not s.page.live for s in submissions)
    assert {s.acting_for_country.code for s in submissions} == {"FR"}
    for page in (s.page.specific for s in submissions):
        assert [c.code for c in page.countries.all()] == ["FR"]
        assert [t.code for t in page.gbf_targets.all()] == ["GBF-T3"]
    inbox = signed_in(secretariat_editor).get(reverse("workspace:tasks")).content.decode()
    assert "Seagrass mapping" in inbox and "Coral survey" in inbox
    other_french = signed_in(national_editor(make_user, "editor-fr-2", "FR"))
    assert "Seagrass mapping" in other_french.get(reverse("workspace:tasks")).content.decode()
    kenyan = signed_in(national_editor(make_user, "editor-ke", "KE"))
    assert "Seagrass mapping" not in kenyan.get(reverse("workspace:tasks")).content.decode()
    assert not pending.load(french_editor, location.rstrip("/").rsplit("/", 1)[-1])


def test_publishing_directly_puts_records_live_in_six_languages_and_in_search(secretariat_editor):
    browser = signed_in(secretariat_editor)
    rows = [need_row("Mangrove restoration"), need_row("Peatland inventory", countries="KE")]
    location, response = dry_run(browser, csv_bytes(rows), mode="publish")
    before = Submission.objects.count()
    done = confirm(browser, location, response, _capture())
    assert done.status_code == 200, done.content.decode()[:2000]
    assert Submission.objects.count() == before  # published, not submitted
    for title in ("Mangrove restoration", "Peatland inventory"):
        page = NeedPage.objects.get(title=title, alias_of__isnull=True)
        assert page.live and page.identifier.startswith("CHM-NEED-")
        family = Page.objects.filter(translation_key=page.translation_key)
        assert sorted(family.values_list("locale__language_code", flat=True)) == sorted(
            ["ar", "en", "es", "fr", "ru", "zh-hans"]
        )
        assert all(family.values_list("live", flat=True))
    client = Client()
    for language in ("en", "fr", "ar"):
        found = client.get(f"/{language}/search/", {"q": "Mangrove"}).content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found))  # the words found are marked up
        assert "Mangrove restoration" in text and "CHM-NEED-FR-" in text, language


def test_a_national_editor_may_not_publish_directly(french_editor):
    response = start(signed_in(french_editor), csv_bytes([need_row()]), mode="publish")
    assert response.status_code == 400
    assert "You may not publish records directly" in response.content.decode()
    assert not NeedPage.objects.filter(title="Training in marine spatial planning").exists()


def test_a_confirmation_that_no_longer_matches_the_report_writes_nothing(french_editor):
    browser = signed_in(french_editor)
    location, _response = dry_run(browser, csv_bytes([need_row("Late change")]))
    before = counts()
    with _capture()(execute=True):
        posted = browser.post(location + "confirm/", {"signature": "2:create,3:create"})
    response = browser.get(posted["Location"])
    assert response.context["job"].state == "failed" and response.context["job"].report_changed
    assert "Records changed since you checked this file" in response.content.decode()
    assert counts() == before


def test_confirming_writes_all_rows_or_none(french_editor, monkeypatch):
    from workflows.review import services

    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("First"), need_row("Second")]))
    real_submit, calls = services.submit, []

    def failing_submit(pk, user):
        calls.append(pk)
        if len(calls) == 2:
            raise RuntimeError("the second row fails")
        return real_submit(pk, user)

    monkeypatch.setattr(services, "submit", failing_submit)
    before = counts()
    done = confirm(browser, location, response, _capture())
    job = done.context["job"]
    assert job.state == "failed" and job.errors == [[3, "", "This row could not be written; nothing was written."]]
    assert job.created == 0 and not job.records
    assert counts() == before
    assert not NeedPage.objects.filter(title="First").exists()


def test_state_owner_and_provenance_columns_are_ignored_with_a_warning(french_editor, secretariat_editor):
    rows = [need_row("Set my state", state="published", owner="someone-else", source_portal="Elsewhere", live="1")]
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes(rows))
    warnings = " ".join(response.context["report"].warnings)
    for column in ("state", "owner", "source_portal", "live"):
        assert f"“{column}”" in warnings
    confirm(browser, location, response, _capture())
    page = NeedPage.objects.get(title="Set my state")
    assert not page.live and page.source_portal == "" and page.owner == french_editor
    assert Submission.objects.get(page=page).state == State.SCREENING


def test_a_national_editor_cannot_import_for_another_country(french_editor):
    rows = [need_row("Kenyan need", countries="KE"), need_row("Shared need", countries="FR;KE"), need_row("Ours")]
    location, response = dry_run(signed_in(french_editor), csv_bytes(rows))
    problems = response.context["report"].problems
    assert [(number, column) for number, column, _m in problems] == [(2, "countries"), (3, "countries")]
    assert all("Country not yours" in message for _n, _c, message in problems)
    assert response.context["report"].created == 1


def test_a_national_editors_records_without_countries_are_of_its_country(french_editor):
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("No country given", countries="")]))
    confirm(browser, location, response, _capture())
    assert [c.code for c in NeedPage.objects.get(title="No country given").countries.all()] == ["FR"]


# --- identifiers: updates, and what may not be changed -----------------------------------------


def _published_need(browser, title, capture):
    location, response = dry_run(browser, csv_bytes([need_row(title)]), mode="publish")
    confirm(browser, location, response, capture)
    return NeedPage.objects.get(title=title, alias_of__isnull=True)


def test_publishing_an_update_changes_only_the_columns_given(secretariat_editor):
    browser = signed_in(secretariat_editor)
    page = _published_need(browser, "Dune restoration", _capture())
    row = {"identifier": page.identifier, "type": "need", "title": "Dune restoration", "language": "en"}
    same = csv_bytes([{**row, "summary": page.summary}])
    _location, response = dry_run(browser, same, mode="publish")
    assert [r.action for r in response.context["report"].rows] == ["unchanged"]
    changed = csv_bytes([{**row, "summary": "Restoring dunes along the Atlantic coast.", "urgency": "low"}])
    location, response = dry_run(browser, changed, mode="publish")
    assert response.context["report"].updated == 1
    confirm(browser, location, response, _capture())
    page.refresh_from_db()
    assert page.summary == "Restoring dunes along the Atlantic coast." and page.urgency == "low"
    assert page.support_kind == "training" and [t.code for t in page.gbf_targets.all()] == ["GBF-T3"]
    assert NeedPage.objects.filter(identifier=page.identifier, alias_of__isnull=True).count() == 1


def test_re_uploading_changes_nothing_the_editor_may_not_change(french_editor, secretariat_editor):
    # A record under review (its process owns it), a harvested one, and one of another country.
    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Under review")]))
    confirm(browser, location, response, _capture())
    in_review = NeedPage.objects.get(title="Under review")
    harvested = _published_need(signed_in(secretariat_editor), "Harvested need", _capture())
    RecordPage.objects.filter(pk=harvested.pk).update(source_portal="Portal of Kenya")
    foreign = _published_need(signed_in(secretariat_editor), "Kenyan need", _capture())
    foreign.countries = [foreign.countries.model.objects.get(code="KE")]
    foreign.save_revision().publish()
    before = {page.pk: (page.summary, page.get_latest_revision().pk) for page in (in_review, harvested, foreign)}
    for user, mode, pages in (
        (secretariat_editor, "publish", (in_review, harvested)),
        (french_editor, "review", (in_review, harvested, foreign)),
    ):
        rows = [
            {"identifier": page.identifier, **need_row(page.title, summary="Overwritten", countries="")}
            for page in pages
        ]
        user_browser = signed_in(user)
        location, response = dry_run(user_browser, csv_bytes(rows), mode=mode)
        report = response.context["report"]
        assert report.writable == 0, report.problems
        messages = {number: message for number, _c, message in report.problems}
        if mode == "publish":
            assert "may not change this record" in messages[2]
            assert "harvested from Portal of Kenya" in messages[3]
            assert "Overwritten" not in str(messages)
        else:
            assert all("only when publishing directly" in messages[n] or "harvested" in messages[n] for n in messages)
        with _capture()(execute=True):
            user_browser.post(location + "confirm/", {"signature": report.signature()})
    for page in (in_review, harvested, foreign):
        page.refresh_from_db()
        assert (page.summary, page.get_latest_revision().pk) == before[page.pk]


def test_an_identifier_cannot_be_given_to_a_new_record(secretariat_editor):
    rows = [{"identifier": "CHM-NEED-FR-2026-9999", **need_row("Typed identifier")}]
    _location, response = dry_run(signed_in(secretariat_editor), csv_bytes(rows), mode="publish")
    ((number, column, message),) = response.context["report"].problems
    assert (number, column) == (2, "identifier") and "No record has this identifier" in message


# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.SUBMITTER, roles.REVIEWER, roles.AWARD_COMMITTEE, None])
def test_everyone_but_editors_is_refused_on_every_url(role, role_users, french_editor, site_pages):
    browser = signed_in(french_editor)
    location = start(browser, csv_bytes([need_row()]))
    urls = [UPLOAD, location, reverse("record_import:template", kwargs={"type_code": "need", "extension": "csv"})]
    other = Client()
    if role is not None:
        other.force_login(role_users[role])
    before = counts()
    for url in urls:
        assert other.get(url).status_code == 403, url
    assert other.post(UPLOAD, {"file": upload(csv_bytes([need_row()])), "mode": "review"}).status_code == 403
    assert other.post(location + "confirm/", {"signature": "2:create"}).status_code == 403
    assert counts() == before


def test_an_editor_cannot_open_another_editors_file(french_editor, secretariat_editor):
    location = start(signed_in(french_editor), csv_bytes([need_row()]))
    other = signed_in(secretariat_editor)
    before = counts()
    assert other.get(location, follow=True).status_code == 404
    assert other.post(location + "confirm/", {"signature": "2:create"}, follow=True).status_code == 404
    assert counts() == before
    assert signed_in(french_editor).get(location).status_code == 200


def test_administrators_and_editors_see_the_menu_item(administrator, french_editor, site_pages):
    for user in (administrator, french_editor):
        assert UPLOAD in signed_in(user).get(reverse("wagtailadmin_home")).content.decode()


# --- templates and exports --------------------------------------------------------------------


def test_a_template_holds_the_export_columns_then_the_types_own(french_editor):
    response = signed_in(french_editor).get(
        reverse("record_import:template", kwargs={"type_code": "need", "extension": "csv"})
    )
    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header[: len(EXPORT_COLUMNS)] == EXPORT_COLUMNS
    assert header == template_columns(NeedPage)
    assert {"needed", "support_kind", "urgency", "publication_date", "licence"} <= set(header)
    xlsx = signed_in(french_editor).get(
        reverse("record_import:template", kwargs={"type_code": "need", "extension": "xlsx"})
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_an_export_of_a_listing_imports_again_unchanged(secretariat_editor, site_pages):
    browser = signed_in(secretariat_editor)
    _published_need(browser, "Exported need", _capture())
    exported = Client().get(site_pages["records"].url + "export/csv/")
    content = b"".join(exported.streaming_content)
    _location, response = dry_run(browser, content, mode="publish")
    report = response.context["report"]
    assert report.file_error == "" and report.problems == []
    assert [row.action for row in report.rows] == ["unchanged"]


# --- bad files --------------------------------------------------------------------------------


def _refusal(browser, content, name="records.csv"):
    before = counts()
    response = start(browser, content, name=name)
    assert not isinstance(response, str), "the file was accepted"
    assert response.status_code == 400
    assert counts() == before
    return response.context["form"].errors["file"][0]


def test_utf8_with_or_without_its_mark_is_read(french_editor):
    for bom in (True, False):
        _location, response = dry_run(signed_in(french_editor), csv_bytes([need_row("Écosystèmes")], bom=bom))
        assert response.context["report"].rows[0].title == "Écosystèmes"


def test_bad_files_are_refused_with_a_clear_message(french_editor):
    browser = signed_in(french_editor)
    latin = csv_bytes([need_row("Écosystèmes")], bom=False).decode("utf-8").encode("latin-1")
    assert "not in UTF-8" in _refusal(browser, latin)
    semicolons = csv_bytes([need_row()]).decode("utf-8").replace(",", ";").encode("utf-8")
    assert "separated by “;”" in _refusal(browser, semicolons)
    assert "is empty" in _refusal(browser, b"")
    assert "holds no records" in _refusal(browser, b"type,title,language\n")
    assert "not valid CSV" in _refusal(browser, b'type,title,language\nneed,"unclosed,en\n')
    assert "not an accepted kind of file" in _refusal(browser, b"%PDF-1.4", name="records.pdf")
    header_less = b"need,Training,en,Help\nneed,Survey,en,Help\n"
    assert "does not name the columns" in _refusal(browser, header_less)
    assert "Unknown columns: “colour”" in _refusal(browser, b"type,title,language,colour\nneed,A,en,red\n")
    assert "Missing columns: “language”" in _refusal(browser, b"type,title\nneed,A\n")


def test_more_rows_than_allowed_are_refused_whole(french_editor):
    lines = ["type,title,language"] + [f"need,Need {i},en" for i in range(10001)]
    message = _refusal(signed_in(french_editor), "\n".join(lines).encode("utf-8"))
    assert "more than 5,000 rows" in message
    assert not pending_files(french_editor)


def pending_files(user):
    from django.core.files.storage import default_storage

    mark = f"record-import-{user.pk}-"
    try:
        return [name for name in default_storage.listdir("documents")[1] if name.startswith(mark)]
    except FileNotFoundError:
        return []


def test_formulas_are_stored_as_text(french_editor):
    browser = signed_in(french_editor)
    formula = "=cmd|' /C calc'!A0"
    rows = [need_row(formula, summary="+SUM(1,2)", needed='@HYPERLINK("http://x")')]
    location, response = dry_run(browser, csv_bytes(rows))
    confirm(browser, location, response, _capture())
    page = NeedPage.objects.get(title=formula)
    assert page.summary == "+SUM(1,2)"
    assert "@HYPERLINK(&quot;http://x&quot;)" in page.needed


def _xlsx(rows) -> bytes:
    import tablib

    header = list(rows[0])
    dataset = tablib.Dataset(headers=header)
    for row in rows:
        dataset.append([row[name] for name in header])
    return dataset.export("xlsx")


def test_an_xlsx_workbook_is_imported(french_editor):
    browser = signed_in(french_editor)
    location, response = dry_run(browser, _xlsx([need_row("From a workbook")]), name="records.xlsx")
    assert response.context["report"].created == 1
    confirm(browser, location, response, _capture())
    assert NeedPage.objects.filter(title="From a workbook").exists()


def test_an_xlsx_that_is_a_zip_bomb_is_refused(french_editor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    message = _refusal(signed_in(french_editor), buffer.getvalue(), name="records.xlsx")
    assert "compressed far more than real documents" in message or "would expand" in message


def test_an_xlsx_that_is_not_a_workbook_is_refused(french_editor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml at all")
    message = _refusal(signed_in(french_editor), buffer.getvalue(), name="records.xlsx")
    assert "cannot be read" in message


# --- the abandoned file -----------------------------------------------------------------------


def test_an_abandoned_file_is_removed_by_the_upload_sweep(french_editor, settings):
    from cms.uploads.tasks import delete_orphan_files

    start(signed_in(french_editor), csv_bytes([need_row()]))
    assert len(pending_files(french_editor)) == 1
    delete_orphan_files()
    assert len(pending_files(french_editor)) == 1  # not abandoned yet
    settings.UPLOAD_ABANDONED_AFTER_HOURS = -1
    delete_orphan_files()
    assert pending_files(french_editor) == []


def _capture():
    """Run the callbacks queued for after the commit (publication, indexing) as the test's own
    transaction never commits: pytest-django's ``django_capture_on_commit_callbacks``, for helpers."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks


# --- cost of writing ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["review", "publish"])
def test_writing_costs_a_constant_number_of_queries_per_row(mode, secretariat_editor):
    """Each row costs what one record costs through the workspace (or one publication); nothing on
    top grows with the file: 1,000 rows cost at most the fixed part plus 1,000 times one row."""
    browser = signed_in(secretariat_editor)
    measured = {}
    for size in (2, 4, 6):
        rows = [need_row(f"{mode} {size} {i}", countries="KE") for i in range(size)]
        location, response = dry_run(browser, csv_bytes(rows), mode=mode)
        with CaptureQueriesContext(connection) as queries:
            done = confirm(browser, location, response, _capture())
        assert done.status_code == 200
        measured[size] = len(queries)
    first, second = measured[4] - measured[2], measured[6] - measured[4]
    assert abs(second - first) <= first * 0.05, measured  # the same cost for each further pair of rows
    # A draft submitted (revision, submission, process, tasks, notifications) or a page published with
    # its five aliases and six search entries; measured 149 and about 430.
    per_row = max(first, second) / 2
    assert per_row <= (160 if mode == "review" else 460), measured


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_guard_formulas_and_imports_restore_them(export_format, secretariat_editor, site_pages):
    import openpyxl

    browser = signed_in(secretariat_editor)
    formula = '=HYPERLINK("http://example.org","x")'
    _published_need(browser, formula, _capture())
    response = Client().get(site_pages["records"].url + f"export/{export_format}/")
    if export_format == "csv":
        content = b"".join(response.streaming_content)
        assert f"'{formula}".replace('"', '""').encode() in content
    else:
        content = response.content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cell = next(row[2] for row in sheet.iter_rows() if str(row[2].value).endswith(formula))
        assert cell.data_type == "s" and cell.value == f"'{formula}"
    _location, report = dry_run(browser, content, mode="publish", name=f"records.{export_format}")
    assert [(row.title, row.action) for row in report.context["report"].rows] == [(formula, "unchanged")]


def test_a_workbook_with_more_rows_than_allowed_is_refused(french_editor):
    rows = [{"type": "need", "title": f"Need {i}", "language": "en"} for i in range(5001)]
    message = _refusal(signed_in(french_editor), _xlsx(rows), name="records.xlsx")
    assert "more than 5,000 rows" in message


def test_admin_users_without_an_editor_role_are_refused(make_user, site_pages):
    from django.contrib.auth.models import Permission

    staff = make_user("staff-without-role")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    browser = signed_in(staff)
    assert browser.get(UPLOAD).status_code == 403
    assert UPLOAD not in browser.get(reverse("wagtailadmin_home")).content.decode()


def test_a_row_the_review_refuses_at_writing_undoes_the_whole_import(french_editor, monkeypatch):
    from workflows.core.tasks import TransitionError
    from workflows.review import services

    browser = signed_in(french_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Kept back"), need_row("Refused")]))
    real_submit = services.submit

    def refusing_submit(pk, user):
        if Submission.objects.get(pk=pk).page.title == "Refused":
            raise TransitionError("This submission was already submitted.")
        return real_submit(pk, user)

    monkeypatch.setattr(services, "submit", refusing_submit)
    before = counts()
    done = confirm(browser, location, response, _capture())
    assert done.context["job"].state == "failed"
    assert done.context["job"].errors == [[3, "", "This submission was already submitted."]]
    problem = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", done.content.decode()))
    assert "3 — This submission was already submitted." in problem
    assert counts() == before


def test_publishing_is_checked_again_at_confirmation(secretariat_editor):
    from content_types.vocabularies.models import Country

    browser = signed_in(secretariat_editor)
    location, response = dry_run(browser, csv_bytes([need_row("Published too late")]), mode="publish")
    secretariat_editor.profile.country = Country.objects.get(code="FR")  # now a national editor
    secretariat_editor.profile.save()
    before = counts()
    done = confirm(browser, location, response, _capture())
    assert done.status_code == 403
    assert counts() == before


def test_drafts_cost_the_same_queries_for_each_row_at_10_and_20_rows(secretariat_editor):
    """Writing drafts for review: the queries grow by the same constant for each row, at most 150 (measured
    146.5: the draft saved and its revision, the submission with its audit and grants, the review
    process started, the screening notification); nothing is read again per row for the file."""
    browser = signed_in(secretariat_editor)
    measured = {}
    for size in (10, 20):
        rows = [need_row(f"Draft {size} {i}", countries="KE") for i in range(size)]
        location, response = dry_run(browser, csv_bytes(rows), mode="review")
        with CaptureQueriesContext(connection) as queries:
            done = confirm(browser, location, response, _capture())
        assert done.status_code == 200
        measured[size] = len(queries)
    per_row = (measured[20] - measured[10]) / 10
    assert per_row <= 150, measured
    fixed = measured[10] - 10 * per_row
    assert 0 <= fixed <= 150, measured  # the file's own reads: once, whatever its length
