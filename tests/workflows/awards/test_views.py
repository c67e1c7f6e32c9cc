"""The award process in the workspace: the nomination form and its deadline, the denials of each
page, the score sheet's contents, and flat query counts of the scoring and ranking pages."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from content_types.vocabularies.models import Country
from tests.conftest import PASSWORD
from workflows.awards.models import Nomination, NominationState, Score

from .test_evaluation import full_scoring

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_nomination_form_saves_submits_and_turns_read_only_after_the_deadline(client, world):
    login(client, world.focal["FR"])
    url = reverse("awards_flow:nominate", args=[world.cycle.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"category": world.categories[0].pk, "website": "https://chm.example.org/fr/", "save": ""}
    )
    nomination = Nomination.objects.get(country__code="FR")
    assert response.status_code == 302 and nomination.state == NominationState.DRAFT
    response = client.post(url, {"category": world.categories[0].pk, "website": "https://chm.example.org/fr/"})
    assert "already has a nomination" in response.content.decode()

    type(world.cycle).objects.filter(pk=world.cycle.pk).update(
        call_opens=datetime.date(2020, 1, 1), nomination_deadline=datetime.date(2020, 2, 1)
    )
    edit = reverse("awards_flow:edit", args=[world.cycle.pk, nomination.pk])
    page = client.get(edit).content.decode()
    assert "The nomination deadline (2020-02-01) has passed" in page
    assert "disabled" in page and 'name="submit"' not in page
    client.post(edit, {"category": world.categories[0].pk, "website": "https://late.example.org/", "submit": ""})
    nomination.refresh_from_db()
    assert (nomination.website, nomination.state) == ("https://chm.example.org/fr/", NominationState.DRAFT)


def test_pages_deny_whoever_the_tables_deny(client, evaluating):
    fr, br = evaluating.nominations["FR"], evaluating.nominations["BR"]
    cycle = evaluating.cycle.pk
    anonymous = client.get(reverse("awards_flow:nomination", args=[fr.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    login(client, evaluating.focal["JP"])
    assert client.get(reverse("awards_flow:nomination", args=[fr.pk])).status_code == 404  # another Party's
    assert client.get(reverse("awards_flow:ranking", args=[cycle])).status_code == 403
    assert client.get(reverse("awards_flow:export", args=[cycle, "csv"])).status_code == 403
    assert client.post(reverse("awards_flow:score", args=[fr.pk]), {}).status_code == 404
    page = client.get(reverse("awards_flow:nomination", args=[evaluating.nominations["JP"].pk])).content.decode()
    assert "Scores" not in page  # its own, without any score

    login(client, evaluating.members["member-br"])
    assert client.get(reverse("awards_flow:nomination", args=[br.pk])).status_code == 404  # its own country
    assert client.get(reverse("awards_flow:ranking", args=[cycle])).status_code == 403  # scoring still open
    assert client.post(reverse("awards_flow:publish", args=[cycle])).status_code == 403
    assert client.post(reverse("awards_flow:check", args=[fr.pk]), {"outcome": "reject"}).status_code == 404
    listing = client.get(reverse("awards_flow:cycle", args=[cycle])).content.decode()
    assert "France" in listing and "Brazil" not in listing

    login(client, evaluating.members["chair"])
    assert client.get(reverse("awards_flow:decision", args=[cycle])).status_code == 403  # not before scoring closes
    assert client.post(reverse("awards_flow:close_scoring", args=[cycle])).status_code == 403


def test_scores_posted_in_the_page_stay_hidden_until_submitted(client, evaluating):
    fr = evaluating.nominations["FR"]
    criteria = evaluating.criteria
    login(client, evaluating.members["chair"])
    client.post(
        reverse("awards_flow:score", args=[fr.pk]),
        {**{f"score-{c.pk}": "4" for c in criteria}, **{f"comment-{c.pk}": "good" for c in criteria}, "submit": ""},
    )
    assert Score.objects.filter(nomination=fr).count() == 3
    login(client, evaluating.members["member-cn"])
    page = client.get(reverse("awards_flow:nomination", args=[fr.pk])).content.decode()
    assert 'data-member="chair"' not in page and "once you have submitted your own" in page
    client.post(reverse("awards_flow:score", args=[fr.pk]), {**{f"score-{c.pk}": "2" for c in criteria}, "submit": ""})
    page = client.get(reverse("awards_flow:nomination", args=[fr.pk])).content.decode()
    assert 'data-member="chair"' in page and 'data-member="member-cn"' in page


def test_the_score_sheet_in_csv_and_xlsx(client, evaluating):
    full_scoring(evaluating)
    login(client, evaluating.secretariat)
    response = client.get(reverse("awards_flow:export", args=[evaluating.cycle.pk, "csv"]))
    assert response["Content-Disposition"].endswith('score-sheet.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[:4] == ["Category", "Rank", "Country", "Weighted total"]
    ranking = {row[2]: row for row in rows[1:4]}
    assert ranking["France"][1:4] == ["1", "France", "11.0"] and ranking["Japan"][1] == "1"
    assert ranking["Brazil"][header.index("Disagreement")] == "yes"
    assert ranking["France"][header.index("Tie")] == "yes"
    scores = rows[5:]
    assert scores[0] == ["Category", "Country", "Member", "Criterion", "Score", "Comment"]
    assert len(scores) - 1 == Score.objects.count() == 24
    assert ["Existing national CHMs", "France", "chair", "Content", "4", "chair on Content"] in scores

    response = client.get(reverse("awards_flow:export", args=[evaluating.cycle.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Ranking", "Scores"]
    sheet = [list(row) for row in workbook["Ranking"].iter_rows(values_only=True)]
    assert sheet[1][1:4] in ([1, "France", 11.0], [1, "Japan", 11.0])
    assert workbook["Scores"].max_row == 25


def populate(world, count):
    """``count`` accepted nominations from as many countries, each scored by two members."""
    taken = {"NO", "CN"}
    countries = list(Country.objects.exclude(code__in=taken).order_by("code")[:count])
    members = list(world.committee.members.filter(user__username__in=["chair", "member-cn"]))
    nominations = Nomination.objects.bulk_create(
        [
            Nomination(
                cycle=world.cycle,
                category=world.categories[number % 2],
                country=country,
                nominated_by=world.secretariat,
                website=f"https://chm.example.org/{country.code.lower()}/",
                state=NominationState.ACCEPTED,
            )
            for number, country in enumerate(countries)
        ]
    )
    Score.objects.bulk_create(
        [
            Score(member=member, nomination=nomination, criterion=criterion, value=(nomination.pk + criterion.pk) % 6)
            for nomination in nominations
            for member in members
            for criterion in world.criteria
        ]
    )
    return nominations


def count_queries(client, url):
    client.get(url)  # warm the site frame's caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["ranking", "scoring"])
def test_scoring_and_ranking_pages_stay_flat_from_5_to_50_nominations(client, world, page):
    from workflows.awards import services

    world.committee = services.form_committee(world.cycle, list(world.members.values()), world.members["chair"])
    counts = {}
    for total in (5, 50):
        Nomination.objects.filter(cycle=world.cycle).delete()
        nominations = populate(world, total)
        if page == "ranking":
            login(client, world.secretariat)
            url = reverse("awards_flow:ranking", args=[world.cycle.pk])
        else:
            login(client, world.members["member-cn"])
            url = reverse("awards_flow:nomination", args=[nominations[-1].pk])
        counts[total] = count_queries(client, url)
    print(f"\n{page} page queries: 5 nominations {counts[5]}, 50 nominations {counts[50]}")
    assert counts[5] == counts[50]
