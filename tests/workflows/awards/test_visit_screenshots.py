"""A committee member's virtual-visit log takes a screenshot of the site: a picture (PNG, JPEG, WebP)
whose content matches its name. A document or a disguised file is refused with a message, and then
nothing of the visit is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from workflows.awards.models import Assessment, VisitScreenshot

pytestmark = pytest.mark.django_db


def picture(name, kind):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue())


def post_visit(client, evaluating, upload):
    member = evaluating.members["member-cn"]
    france = evaluating.nominations["FR"]
    client.force_login(member)
    data = {"visited_on": "2026-11-02", "pages_visited": "Home, national reports", "screenshot": upload}
    response = client.post(reverse("awards_flow:visit", args=[france.pk]), data, follow=True)
    return response, Assessment.objects.filter(member__user=member, nomination=france)


@pytest.mark.parametrize(("name", "kind"), [("home.png", "PNG"), ("home.jpeg", "JPEG"), ("home.webp", "WEBP")])
def test_a_picture_of_the_site_is_kept_with_the_visit(client, evaluating, name, kind):
    response, assessments = post_visit(client, evaluating, picture(name, kind))
    assert response.status_code == 200
    assert "Virtual visit saved." in response.content.decode()
    shot = VisitScreenshot.objects.get(assessment__in=assessments)
    assert shot.image.name.endswith("/" + name)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n"),
        SimpleUploadedFile("home.png", b"%PDF-1.4\n%%EOF\n"),  # a document under a picture's name
        SimpleUploadedFile("home.png", b"MZ\x90\x00" + b"\x00" * 64),  # a program
    ],
    ids=["document", "disguised-document", "program"],
)
def test_anything_but_a_picture_is_refused_and_nothing_is_written(client, evaluating, upload):
    response, assessments = post_visit(client, evaluating, upload)
    assert response.status_code == 200
    assert "Virtual visit saved." not in response.content.decode()
    assert not assessments.exists()
    assert not VisitScreenshot.objects.exists()
