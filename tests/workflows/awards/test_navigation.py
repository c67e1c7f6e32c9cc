"""The ways into the award process: the workspace's awards page shows each person the cycles it takes
part in (its nominations, what it scores, the cycles the secretariat runs), the public cycle page
links to them for those who may see them, and the secretariat names the committee in the workspace."""

import pytest
from django.urls import reverse

from cms.accounts import roles
from workflows.awards.flows import EvaluationFlow
from workflows.awards.models import Committee

pytestmark = pytest.mark.django_db


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_awards_page_shows_each_person_its_part(client, evaluating, make_user):
    home = reverse("awards_flow:home")
    cycle_url = reverse("awards_flow:cycle", args=[evaluating.cycle.pk])

    nominee = page(client, evaluating.focal["FR"], home)
    assert "My nominations" in nominee and cycle_url in nominee
    assert reverse("awards_flow:nomination", args=[evaluating.nominations["FR"].pk]) in nominee
    assert reverse("awards_flow:nomination", args=[evaluating.nominations["BR"].pk]) not in nominee
    assert "To score" not in nominee and reverse("awards_flow:ranking", args=[evaluating.cycle.pk]) not in nominee

    member = page(client, evaluating.members["member-br"], home)
    assert "To score" in member and "2 open tasks" in member and "My nominations" not in member

    secretariat = page(client, evaluating.secretariat, home)
    assert reverse("awards_flow:ranking", args=[evaluating.cycle.pk]) in secretariat
    assert reverse("wagtailadmin_pages:edit", args=[evaluating.cycle.pk]) in secretariat

    outsider = page(client, make_user("outsider"), home)
    assert "You take part in no award cycle" in outsider and cycle_url not in outsider
    # every workspace page leads there
    assert home in page(client, make_user("reader", roles.SUBMITTER), reverse("workspace:home"))


def test_the_public_cycle_page_links_participants_to_their_work(client, evaluating, make_user):
    public = evaluating.cycle.url
    cycle_url = reverse("awards_flow:cycle", args=[evaluating.cycle.pk])
    anonymous = client.get(public).content.decode()
    assert "award-workspace-links" not in anonymous
    assert cycle_url in page(client, evaluating.members["chair"], public)
    assert cycle_url in page(client, evaluating.focal["JP"], public)
    assert "award-workspace-links" not in page(client, make_user("stranger"), public)


def test_the_secretariat_names_the_committee_and_nobody_else_may(client, world):
    url = reverse("awards_flow:committee", args=[world.cycle.pk])
    data = {"members": [user.pk for user in world.members.values()], "chair": world.members["chair"].pk}
    for user in (world.members["chair"], world.focal["FR"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not Committee.objects.exists()

    client.force_login(world.secretariat)
    before = page(client, world.secretariat, reverse("awards_flow:home"))
    assert url in before  # the way to name it, not a ranking that does not exist yet
    response = client.post(url, {**data, "chair": world.focal["FR"].pk})
    assert response.status_code == 400 and not Committee.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    committee = Committee.objects.get()
    assert committee.members.get(is_chair=True).user == world.members["chair"]
    assert EvaluationFlow.task_class.objects.filter(flow_task=EvaluationFlow.close).count() == 1
    cycle_page = page(client, world.secretariat, reverse("awards_flow:cycle", args=[world.cycle.pk]))
    assert "member-br" in cycle_page or "Brazil" in cycle_page
