"""The demo loader: idempotent, and it gives every role someone to log in as."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page

from cms.accounts import roles

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def page_counts() -> dict:
    from django.db.models import Count

    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "aliases": Page.objects.filter(alias_of__isnull=False).count(),
        "by locale": dict(
            Page.objects.filter(depth__gt=1)  # the tree's root belongs to no language really
            .order_by()
            .values_list("locale__language_code")
            .annotate(n=Count("pk"))
            .values_list("locale__language_code", "n")
        ),
        "users": get_user_model().objects.count(),
    }


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", scale=0.02, stdout=out, **options)
    return out.getvalue()


def test_load_demo_is_idempotent_and_covers_every_language_and_role(tmp_path, monkeypatch):
    """One test, because one demo load is what costs (a few seconds even at scale 0.02)."""
    from cms.demo.management.commands import ensure_admin

    load_demo()
    first = page_counts()
    load_demo()

    # Idempotent: the second run finds everything and adds nothing.
    assert page_counts() == first
    assert first["pages"] > Page.objects.filter(depth__lte=3).count(), "no content beyond the sections"
    # Every page has a version (translation or alias) in each of the six languages.
    assert set(first["by locale"]) == {"en", "fr", "es", "ar", "ru", "zh-hans"}
    assert len(set(first["by locale"].values())) == 1, first["by locale"]
    # load_demo gives every role but Administrator a demo user; ensure_admin adds the administrator.
    for role in roles.ROLE_NAMES:
        if role != roles.ADMINISTRATOR:
            assert Group.objects.get(name=role).user_set.filter(is_active=True).exists(), f"load_demo made no {role}"
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password("chm-demo-2026")
    assert editor.has_perm("wagtailadmin.access_admin")

    monkeypatch.setattr(ensure_admin, "CREDENTIALS_FILE", tmp_path / "admin-login.txt")
    out = StringIO()
    call_command("ensure_admin", stdout=out)

    assert "Administrator login: admin / " in out.getvalue()
    assert Group.objects.get(name=roles.ADMINISTRATOR).user_set.filter(username="admin", is_active=True).exists()


def test_load_demo_if_empty_leaves_loaded_content_alone():
    before = page_counts()

    output = load_demo(if_empty=True)

    assert "already loaded" in output
    assert page_counts() == before
