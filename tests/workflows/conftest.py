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


@pytest.fixture
def sequences_past_restored_rows(transactional_db):
    """Move the id sequences past the rows a serialized rollback restored with explicit ids.

    The shared restore flushes (which resets the sequences) and then loads the baseline with its
    ids, so without this the first page a transactional test creates collides with an existing id.
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
