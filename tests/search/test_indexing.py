"""Only published, public pages are ever indexed, and the index follows every change of the tree:
publish, draft, unpublish, delete, move, renamed parent, view restrictions, aliases, reindex."""

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Locale, PageViewRestriction

from cms.home.models import StandardPage
from search.models import SearchEntry, SearchText
from search.service import SearchService
from tests.records.factories import NeedFactory, OfferFactory

from .conftest import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(site_pages):
    return site_pages["records"]


def entries(page):
    return SearchEntry.objects.filter(translation_key=page.translation_key)


def test_publishing_indexes_the_record_once_per_language(index, publish):
    need = publish(NeedFactory(title="Seagrass mapping"))

    rows = entries(need)

    assert sorted(rows.values_list("locale", flat=True)) == sorted(
        Locale.objects.values_list("language_code", flat=True)
    )
    assert {row.page_id for row in rows} == {need.pk}  # no page in other languages yet: the original
    assert rows.get(locale="en").url == need.url


def test_a_draft_is_never_indexed(index, on_commit, search):
    with on_commit():
        draft = NeedFactory(title="Secret draft about otters", live=False)
        draft.save_revision()

    assert not entries(draft).exists()
    call_command("reindex", "--no-progress", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert not entries(draft).exists()
    assert search("otters").total == 0


def test_a_pending_draft_of_a_live_page_stays_out_of_the_index(index, publish, on_commit, search):
    need = publish(NeedFactory(title="Published title about beavers"))
    with on_commit():
        need.title = "Unreviewed new title about wolves"
        need.save_revision()

    assert search("wolves").total == 0
    assert titles(search("beavers")) == ["Published title about beavers"]


def test_a_private_page_is_removed_and_comes_back_when_public(index, publish, on_commit, search):
    need = publish(NeedFactory(title="Confidential lynx census"))
    with on_commit():
        restriction = PageViewRestriction.objects.create(page=need, restriction_type="password", password="x")

    assert not entries(need).exists()
    assert search("lynx").total == 0

    with on_commit():
        restriction.delete()

    assert titles(search("lynx")) == ["Confidential lynx census"]


def test_a_restriction_on_a_section_hides_everything_below(index, publish, on_commit, search):
    publish(NeedFactory(title="Bison reintroduction"), OfferFactory(title="Bison genetics offer"))
    with on_commit():
        PageViewRestriction.objects.create(page=index, restriction_type="login")

    assert search("bison").total == 0
    call_command("reindex", "--no-progress", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert search("bison").total == 0


def test_publishing_a_private_page_does_not_index_it(index, on_commit, search):
    need = NeedFactory(title="Private pangolin survey", live=False)
    with on_commit():
        PageViewRestriction.objects.create(page=need, restriction_type="login")
    with on_commit():
        need.save_revision().publish()

    assert not entries(need).exists()
    assert search("pangolin").total == 0


def test_unpublishing_removes_the_record_in_every_language(index, publish, on_commit, translate, search):
    need = publish(NeedFactory(title="Kelp forest restoration"))
    translate(need, "fr", title="Restauration des forêts de varech")
    translate(need, "es", alias=True)

    with on_commit():
        need.unpublish()

    assert search("kelp").total == 0
    assert search("kelp", language="es").total == 0
    # The French translation is still live: French visitors find it; others fall back to it.
    assert titles(search("varech", language="fr")) == ["Restauration des forêts de varech"]
    assert set(entries(need).values_list("page_id", flat=True)) == {
        need.get_translation(Locale.objects.get(language_code="fr")).pk
    }


def test_deleting_removes_the_record(index, publish, on_commit, search):
    need = publish(NeedFactory(title="Walrus haul-out monitoring"))
    key = need.translation_key

    with on_commit():
        need.delete()

    assert not SearchEntry.objects.filter(translation_key=key).exists()
    assert search("walrus").total == 0


def test_deleting_a_subtree_costs_one_task(site_pages, publish, on_commit, django_assert_max_num_queries, monkeypatch):
    parent = StandardPage(title="Guides", slug="guides-delete")
    site_pages["home"].add_child(instance=parent)
    children = []
    for number in range(3):
        child = StandardPage(title=f"Guide to ibis {number}", slug=f"guide-ibis-{number}")
        parent.add_child(instance=child)
        children.append(child)
    publish(parent, *children)
    calls = []
    from search import tasks

    original = tasks.update_search_index.delay
    monkeypatch.setattr(tasks.update_search_index, "delay", lambda keys: calls.append(keys) or original(keys))

    with on_commit():
        parent.delete()

    assert len(calls) == 1 and len(calls[0]) == 4
    assert not SearchText.objects.filter(title__startswith="Guide to ibis").exists()


def test_moving_a_page_updates_its_address(site_pages, publish, on_commit):
    home = site_pages["home"]
    first = StandardPage(title="Toolkits", slug="toolkits")
    second = StandardPage(title="Archive", slug="archive-move")
    home.add_child(instance=first)
    home.add_child(instance=second)
    guide = StandardPage(title="Wetland toolkit", slug="wetland-toolkit")
    first.add_child(instance=guide)
    publish(first, second, guide)
    assert entries(guide).get(locale="en").url == "/en/toolkits/wetland-toolkit/"

    with on_commit():
        guide.move(second, pos="last-child")

    assert entries(guide).get(locale="en").url == "/en/archive-move/wetland-toolkit/"


def test_renaming_a_parent_updates_the_addresses_below(site_pages, publish, on_commit):
    parent = StandardPage(title="Manuals", slug="manuals")
    site_pages["home"].add_child(instance=parent)
    manual = StandardPage(title="Peatland manual", slug="peatland-manual")
    parent.add_child(instance=manual)
    publish(parent, manual)

    parent.slug = "handbooks"
    publish(parent)

    assert entries(manual).get(locale="en").url == "/en/handbooks/peatland-manual/"


def test_a_new_alias_gives_visitors_its_local_address(index, publish, translate):
    offer = publish(OfferFactory(title="Drone survey offer"))
    assert entries(offer).get(locale="ru").url == offer.url  # no Russian page yet: the original

    alias = translate(offer, "ru", alias=True)

    row = entries(offer).get(locale="ru")
    assert (row.page_id, row.url, row.text.language) == (alias.pk, alias.url, "en")
    assert row.text_id == entries(offer).get(locale="en").text_id  # an alias shares its original's text


def test_a_rolled_back_publication_is_not_indexed(index, django_capture_on_commit_callbacks, search):
    need = NeedFactory(title="Rolled back narwhal need", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                need.save_revision().publish()
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass

    assert search("narwhal").total == 0


def test_a_search_outage_never_blocks_publishing(index, publish, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("search is down")

    monkeypatch.setattr("search.backends.database.DatabaseBackend.replace", broken)

    need = publish(NeedFactory(title="Published despite the outage"))

    need.refresh_from_db()
    assert need.live
    assert "Task search.tasks.update_search_index failed" in caplog.text


def test_reindex_restores_missing_rows_and_drops_orphans(index, publish, search):
    need = publish(NeedFactory(title="Quokka habitat need"))
    entries(need).delete()
    key = "00000000-0000-0000-0000-000000000001"
    text = SearchText.objects.create(translation_key=key, language="en", title="Orphan quokka row")
    orphan = SearchEntry.objects.create(
        locale="en", translation_key=key, page_id=999999, content_type="x.y", text=text, url="/en/gone/"
    )

    call_command("reindex", "--batch-size", "2", "--no-progress", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    assert titles(search("quokka")) == ["Quokka habitat need"]
    assert not SearchEntry.objects.filter(pk=orphan.pk).exists()
    assert not SearchText.objects.filter(pk=text.pk).exists()


def test_reindex_refuses_a_zero_batch():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reindex", "--batch-size", "0")


def test_the_index_task_is_idempotent(index, publish):
    need = publish(NeedFactory(title="Idempotent dugong"))
    before = list(entries(need).order_by("locale").values_list("locale", "page_id", "url", "text__title"))

    SearchService().index_translation_keys([need.translation_key])
    SearchService().index_translation_keys([need.translation_key])

    after = list(entries(need).order_by("locale").values_list("locale", "page_id", "url", "text__title"))
    assert after == before
    assert SearchText.objects.filter(translation_key=need.translation_key).count() == 1


def test_building_documents_costs_the_same_queries_for_more_records(index, publish, monkeypatch):
    """The documents of a batch are built in a fixed number of queries whatever its size — the
    classification in one query per page type, its terms from the process's copy — and the sites' root
    paths are read once per batch, not once per document (a round trip to the shared cache each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from search.indexing import DocumentBuilder

    records = [NeedFactory(title=f"Coral need {number}") for number in range(12)]
    publish(*records)
    reads = []
    real = Site.get_site_root_paths

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    counts = []
    for chosen in (records[:3], records):
        builder = DocumentBuilder()
        reads.clear()
        with CaptureQueriesContext(connection) as captured:
            documents = builder.build([str(record.translation_key) for record in chosen])
        counts.append(len(captured))
        assert reads == [1]
        assert len(documents) == len(chosen) * Locale.objects.count()
        assert all(document.codes["country"] == ["FR"] for document in documents)
        assert all(document.codes["target"] == ["GBF-T3"] for document in documents)
    assert counts[0] == counts[1]
