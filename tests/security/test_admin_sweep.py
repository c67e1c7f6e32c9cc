"""A walk over the Wagtail admin's forms as an Administrator: every script the browser would run is
either a file or carries the response's nonce, so the admin works under the policy. A new panel or
widget that writes another kind of inline script fails here, not in an editor's browser."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page, Site, get_page_models

pytestmark = pytest.mark.django_db

EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
FIXED_URLS = [
    "/admin/",
    "/admin/pages/",
    "/admin/images/",
    "/admin/images/multiple/add/",
    "/admin/documents/",
    "/admin/documents/multiple/add/",
    "/admin/redirects/",
    "/admin/redirects/add/",
    "/admin/workflows/list/",
    "/admin/workflows/add/",
    "/admin/workflows/tasks/index/",
    "/admin/reports/locked/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/account/",
    "/admin/choose-page/",
]


def page_add_urls() -> list[str]:
    """The add form of every creatable page type, under a parent of a type it allows."""
    urls = []
    for model in get_page_models():
        if not model.is_creatable:
            continue
        parent_types = [parent for parent in model.allowed_parent_page_models() if parent is not Page]
        parent = next(
            (found for parent in parent_types if (found := parent.objects.filter(locale__language_code="en").first())),
            None,
        )
        if parent is not None:
            urls.append(
                reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
            )
    return urls


def viewset_urls() -> list[str]:
    urls = []
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet):
            continue
        for view in ("index", "add"):
            try:
                urls.append(reverse(viewset.get_url_name(view)))
            except NoReverseMatch:
                continue
    return urls


def unblessed_scripts(response) -> list[str]:
    header = response.headers["Content-Security-Policy"]
    nonces = re.findall(r"'nonce-([^']+)'", header)
    document = BeautifulSoup(response.content.decode(), "html.parser")
    scripts = list(document.find_all("script"))
    for template in document.find_all("template"):
        scripts += BeautifulSoup(template.decode_contents(), "html.parser").find_all("script")
    found = []
    for script in scripts:
        if script.get("src") or script.get("type", "").lower() not in EXECUTABLE_TYPES:
            continue
        if script.get("nonce") in nonces:
            continue
        found.append((script.string or "")[:120])
    return found


def test_every_admin_form_runs_under_the_policy(client, administrator, site_pages):
    from wagtail.contrib.settings.registry import registry as settings_registry

    client.force_login(administrator)
    urls = FIXED_URLS + page_add_urls() + viewset_urls()
    site = Site.objects.get(is_default_site=True)
    urls += [
        reverse("wagtailsettings:edit", args=[model._meta.app_label, model._meta.model_name, site.pk])
        for model in settings_registry
    ]
    urls += [reverse("wagtailadmin_pages:edit", args=[page.pk]) for page in site_pages.values()]
    urls.append(reverse("wagtailadmin_pages:copy", args=[site_pages["news"].pk]))

    problems, visited = {}, 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        visited += 1
        if found := unblessed_scripts(response):
            problems[url] = found

    assert visited >= 60, f"only {visited} of {len(urls)} admin pages answered"
    assert problems == {}
