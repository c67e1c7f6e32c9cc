"""A nominee's attachments pass the portal's upload checks before anything is stored, and are served
only through the access-checked view: to the nominating Party, the secretariat and the committee
members who assess the nomination; everyone else is told the file does not exist."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.inputs.archives import inflating_archive
from workflows.awards import services
from workflows.awards.models import Nomination, NominationAttachment

from .conftest import fresh, nominate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def post_nomination(client, world, files, **extra):
    return client.post(
        reverse("awards_flow:nominate", args=[world.cycle.pk]),
        {
            "category": world.categories[0].pk,
            "website": "https://chm.example.org/fr/",
            "new_attachments": files,
            "save": "",
            **extra,
        },
    )


def test_refused_files_leave_nothing_stored(client, world):
    client.force_login(world.focal["FR"])
    before = stored_files()
    cases = [
        ([upload(f"part-{index}.pdf", PDF) for index in range(11)], "10 files at most"),
        ([upload("report.pdf", b"MZ\x90\x00 not a pdf at all")], "report.pdf"),
        ([upload("plan.pdf", PDF), upload("annex.odt", inflating_archive(pieces=64))], "would expand to more than"),
    ]
    for files, message in cases:
        response = post_nomination(client, world, files)
        assert message in response.content.decode()
    assert not Nomination.objects.exists()
    assert stored_files() == before


def test_committee_members_assessing_the_nomination_read_its_files_and_nobody_else(client, world):
    evaluating = world
    evaluating.nominations = {code: nominate(world, code) for code in ("FR", "BR", "JP")}
    france = evaluating.nominations["FR"]
    brazil = evaluating.nominations["BR"]
    client.force_login(evaluating.focal["BR"])  # before the check, the Party may still add files
    response = client.post(
        reverse("awards_flow:edit", args=[evaluating.cycle.pk, brazil.pk]),
        {
            "category": evaluating.categories[0].pk,
            "website": brazil.website,
            "new_attachments": [upload("progress-report.pdf", PDF)],
            "save": "",
        },
    )
    assert response.status_code == 302
    for nomination in evaluating.nominations.values():
        services.check_nomination(world.secretariat, nomination, services.ACCEPT)
    evaluating.committee = services.form_committee(
        world.cycle, list(world.members.values()), world.members["chair"], actor=world.secretariat
    )
    brazil = Nomination.objects.get(pk=brazil.pk)
    item = NominationAttachment.objects.get(nomination=brazil)
    url = reverse("awards_flow:attachment", args=[brazil.pk, item.pk])
    assert evaluating.committee.cycle_id == brazil.cycle_id
    assert brazil.history.filter(action="attachments").get().details["added"] == ["progress-report.pdf"]

    def status(user):
        client.force_login(user)
        return client.get(url).status_code

    # the Party, the secretariat and the members who assess Brazil's nomination
    client.force_login(evaluating.focal["BR"])
    page = client.get(reverse("awards_flow:nomination", args=[brazil.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]
    assert status(evaluating.secretariat) == 200
    assert status(evaluating.members["chair"]) == 200
    assert status(evaluating.members["member-cn"]) == 200
    # Brazil's own member is excluded from it; another Party never sees it
    assert status(evaluating.members["member-br"]) == 404
    assert status(evaluating.focal["FR"]) == 404
    # a member who steps aside loses it; the file of another nomination is not reachable through this one
    services.declare_conflict(fresh(evaluating.members["member-cn"]), brazil, "Advised Brazil.")
    assert status(evaluating.members["member-cn"]) == 404
    client.force_login(evaluating.secretariat)
    assert client.get(reverse("awards_flow:attachment", args=[france.pk, item.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_a_nominee_removes_an_attachment(client, world):
    client.force_login(world.focal["FR"])
    post_nomination(client, world, [upload("a.pdf", PDF), upload("b.pdf", PDF)])
    nomination = Nomination.objects.get()
    first = nomination.attachments.order_by("pk").first()
    client.post(
        reverse("awards_flow:edit", args=[world.cycle.pk, nomination.pk]),
        {"category": world.categories[0].pk, "website": nomination.website, "remove_attachments": [first.pk]},
    )
    assert [item.title for item in nomination.attachments.all()] == ["b.pdf"]
