"""Record identifiers come from a counter row updated atomically: saves at the same moment never collide."""

import datetime
import threading

import pytest
from django.db import connections, transaction

from content_types.records.models import IdentifierSequence, NeedPage, RecordIndexPage
from content_types.vocabularies.models import Country

from .factories import NeedFactory

PREFIX = "CHM-NEED-FR-2026-"
YEAR_2026 = datetime.date(2026, 4, 1)


def _need(title: str, france) -> NeedPage:
    return NeedPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        needed="<p>Help.</p>",
        support_kind="data",
        publication_date=YEAR_2026,
        countries=[france],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_records_saved_at_the_same_moment_get_distinct_consecutive_identifiers(site_pages):
    """Six threads (one per language's Records section, so that the page tree itself does not collide),
    each on its own connection, each saving four records of the same prefix at once."""
    france = Country.objects.get(code="FR")
    parents = list(RecordIndexPage.objects.order_by("locale__language_code"))
    saves_per_thread = 4
    barrier = threading.Barrier(len(parents))
    identifiers, errors = [], []
    lock = threading.Lock()

    def save_records(parent_pk: int, language: str):
        try:
            parent = RecordIndexPage.objects.get(pk=parent_pk)
            barrier.wait(timeout=60)
            for number in range(saves_per_thread):
                page = parent.add_child(instance=_need(f"Need {language} {number}", france))
                with lock:
                    identifiers.append(page.identifier)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save_records, args=(parent.pk, parent.locale.language_code)) for parent in parents
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    total = len(parents) * saves_per_thread
    assert len(identifiers) == total
    assert len(set(identifiers)) == total  # no collision
    # No gap either: every number from 1 to the count was handed out exactly once.
    assert sorted(identifiers) == [f"{PREFIX}{number:04d}" for number in range(1, total + 1)]
    stored = set(NeedPage.objects.filter(identifier__startswith=PREFIX).values_list("identifier", flat=True))
    assert stored == set(identifiers)
    assert IdentifierSequence.objects.get(prefix=PREFIX).last_value == total


@pytest.mark.django_db
def test_a_rolled_back_save_gives_its_number_back(index):
    france = Country.objects.get(code="FR")
    with pytest.raises(RuntimeError), transaction.atomic():
        index.add_child(instance=_need("Abandoned", france))
        raise RuntimeError("the request failed after saving")

    kept = index.add_child(instance=_need("Kept", france))

    assert kept.identifier == f"{PREFIX}0001"


@pytest.mark.django_db
def test_a_deleted_records_number_is_never_handed_out_again(index):
    first = NeedFactory(publication_date=YEAR_2026)
    second = NeedFactory(publication_date=YEAR_2026)
    assert second.identifier == f"{PREFIX}0002"

    second.delete()
    third = NeedFactory(publication_date=YEAR_2026)

    assert first.identifier == f"{PREFIX}0001"
    assert third.identifier == f"{PREFIX}0003"  # identifiers name a record across portals: no reuse


@pytest.mark.django_db
def test_typed_and_pre_existing_identifiers_keep_the_counter_ahead(index):
    typed = NeedFactory(publication_date=YEAR_2026, identifier=f"{PREFIX}0041")
    assert IdentifierSequence.objects.get(prefix=PREFIX).last_value == 41
    # A row that reached the table without the counter (bulk creation, an older database) is seen too.
    NeedPage.objects.filter(pk=typed.pk).update(identifier=f"{PREFIX}0050")

    generated = NeedFactory(publication_date=YEAR_2026)

    assert generated.identifier == f"{PREFIX}0051"


@pytest.mark.django_db
def test_a_typed_identifier_taken_by_another_record_is_replaced_on_save(index):
    """``clean`` refuses it in forms; code that saves without cleaning still never makes a duplicate."""
    existing = NeedFactory(publication_date=YEAR_2026)

    duplicate = NeedFactory(publication_date=YEAR_2026, identifier=existing.identifier)

    assert duplicate.identifier == f"{PREFIX}0002"
