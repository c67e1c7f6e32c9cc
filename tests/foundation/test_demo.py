"""The demo loader: idempotent, and it gives every role someone to log in as."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, ReferenceIndex

from cms.accounts import roles
from content_types.records.models import NeedPage

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


def reference_rows() -> set:
    return set(ReferenceIndex.objects.values_list("content_type_id", "object_id", "to_content_type_id", "to_object_id"))


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", scale=0.02, stdout=out, **options)
    return out.getvalue()


def test_load_demo_is_idempotent_and_covers_every_language_and_role(tmp_path, monkeypatch):
    """One test, because one demo load is what costs (a few seconds even at scale 0.02)."""
    from cms.demo.management.commands import ensure_admin

    output = load_demo()
    first = page_counts()
    # Off a terminal the command prints plain progress lines, no redrawn bars.
    assert re.search(r"^Aliases \d+/\d+$", output, re.MULTILINE), output
    assert re.search(r"^Search index \d+/\d+$", output, re.MULTILINE), output
    assert "\r" not in output and "Demo content loaded" in output
    load_demo()

    # Idempotent: the second run finds everything and adds nothing.
    assert page_counts() == first
    # The tree stays sound although aliases are placed in bulk (paths, depths, child counts, url paths).
    assert Page.find_problems() == ([], [], [], [], [])
    for alias in Page.objects.filter(alias_of__isnull=False).select_related("alias_of", "locale")[:200]:
        assert alias.get_parent().locale_id == alias.locale_id, alias.url_path
        assert alias.live == alias.alias_of.live and alias.translation_key == alias.alias_of.translation_key
        assert alias.url_path == alias.get_parent().url_path + alias.slug + "/"
    # The index work held back during the load was done once at the end: the reference index is what
    # saving each page would have made of it, and the admin search finds the records.
    assert first["aliases"] > 0
    before = reference_rows()
    assert before, "no references indexed"
    for page in Page.objects.filter(alias_of__isnull=True).specific():
        ReferenceIndex.create_or_update_for_object(page)
    assert reference_rows() == before
    needs = list(NeedPage.objects.live().filter(locale__language_code="en")[:3])
    assert needs
    for need in needs:
        assert need.pk in [found.pk for found in NeedPage.objects.live().search(need.title)], need.title
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


def test_load_demo_prints_plain_progress_lines_off_a_terminal():
    """In a log or a pipe: "label done/total" lines, never a redrawn bar (no carriage returns)."""
    from cms.demo.progress import LineProgress

    out = StringIO()
    ticks = iter(range(0, 1000, 1))
    bar = LineProgress(desc="Records ", total=215, stream=out, clock=lambda: next(ticks) * 0.01)
    for _ in range(215):
        bar.update(1)
    bar.close()
    lines = out.getvalue().splitlines()

    assert "\r" not in out.getvalue()
    assert lines[-1] == "Records 215/215"
    assert 9 <= len(lines) <= 11, lines  # a line each tenth of the way (the clock barely moves)
    assert all(line.startswith("Records ") for line in lines)


def test_plain_progress_lines_come_at_most_every_two_seconds_or_tenth():
    from cms.demo.progress import LineProgress

    out = StringIO()
    now = [0.0]
    bar = LineProgress(range(3), desc="Aliases", total=None, stream=out, clock=lambda: now[0])
    assert bar.total == 3
    slow = LineProgress(desc="Search index", total=10_000, stream=out, clock=lambda: now[0])
    slow.update(5)
    assert out.getvalue() == ""  # 5 of 10,000 and no time passed: nothing yet
    now[0] = 2.5
    slow.update(5)
    assert out.getvalue() == "Search index 10/10000\n"
