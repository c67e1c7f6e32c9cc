"""Where the model lives: shared through the cache under a version token, rebuilt once after a
change, and still served (by each process for a while) when the cache cannot be reached."""

import pytest
from django.core.cache import cache

from suggest import store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    store.refresh()
    yield
    cache.clear()
    store.refresh()


def test_the_model_is_built_once_then_read_from_the_cache(site_pages, django_assert_num_queries):
    first = store.current_model()
    store._local.update(version=None, model=None)  # another process: nothing of its own yet
    with django_assert_num_queries(0):
        second = store.current_model()
    assert second.terms.keys() == first.terms.keys()


def test_a_vocabulary_change_retires_the_model(site_pages, django_capture_on_commit_callbacks):
    from content_types.vocabularies.models import Subject

    before = store.current_model()
    with django_capture_on_commit_callbacks(execute=True):
        Subject.objects.create(code="SUBJ-SEAGRASS", name_en="Seagrass meadows")
    after = store.current_model()

    assert after is not before
    assert "SUBJ-SEAGRASS" in after.terms
    subjects = [item.code for item in after.suggest("Mapping seagrass meadows", "en")[1] if item.kind == "subject"]
    assert subjects[0] == "SUBJ-SEAGRASS"


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("the cache is down")

        return fail


def test_with_the_cache_down_a_process_keeps_its_own_model_a_while(site_pages, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(store, "cache", BrokenCache())
    model = store.current_model()
    with django_assert_num_queries(0):
        assert store.current_model() is model
    assert model.suggest("Invasive alien species on islands", "en")[1][0].code == "GBF-T6"

    store._local["built_at"] -= store.LOCAL_SECONDS + 1  # later: the process builds afresh
    assert store.current_model() is not model
