"""Fixtures of the review workflow tests: the people of a review and a draft to send through it."""

from types import SimpleNamespace

import pytest
from django.test import Client

from cms.accounts import roles
from content_types.vocabularies.models import Country

from .helpers import new_need


def _set_profile(user, country=None, language="en"):
    profile = user.profile
    profile.country = country
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def people(site_pages, make_user, editor, submitter):
    """Everyone a review involves, with the groups and profiles the demo gives them."""
    france, kenya = Country.objects.get(code="FR"), Country.objects.get(code="KE")
    _set_profile(submitter, france)
    return SimpleNamespace(
        submitter=submitter,
        editor=_set_profile(editor),  # secretariat: no country
        reviewer_a=make_user("reviewer-a", roles.REVIEWER, first_name="Ada", last_name="Quist"),
        reviewer_b=_set_profile(
            make_user("reviewer-b", roles.REVIEWER, first_name="Bruno", last_name="Lefèvre"), language="fr"
        ),
        reviewer_c=make_user("reviewer-c", roles.REVIEWER, first_name="Chidi", last_name="Okoro"),
        national_editor=_set_profile(make_user("editor-fr-test", roles.EDITOR), france),
        other_national_editor=_set_profile(make_user("editor-ke-test", roles.EDITOR), kenya),
        other_submitter=_set_profile(make_user("submitter-other", roles.SUBMITTER), kenya),
        outsider=make_user("outsider"),
    )


@pytest.fixture
def draft(people):
    return new_need(people.submitter)


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client signed in as ``user``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
