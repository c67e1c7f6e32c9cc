"""A harvest run: gather the peer's changes page by page, fetch each changed record, import it.

The cursor (the next page's address) is saved after each page, in the same transaction as nothing
else: a page whose objects were all imported is never read again by a resumed run, and a page
interrupted midway is read again from its start (its imports are idempotent: updated or unchanged).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from content_types.base.translations import ensure_aliases_in_bulk
from search import signals as search_signals

from .client import PeerClient, PeerError
from .importer import ImportRefused, Vocabularies, import_new_records, import_record, withdraw_record
from .models import HarvestObject, HarvestRun, HarvestSource

logger = logging.getLogger(__name__)
Outcome = HarvestObject.Outcome
Status = HarvestRun.Status


class HarvestBusy(Exception):
    """Another run of the same source is alive."""


def source_for(base_url: str, name: str | None = None) -> HarvestSource:
    base_url = base_url.rstrip("/")
    source = HarvestSource.objects.filter(base_url__in=[base_url, base_url + "/"]).first()
    if source is None:
        source = HarvestSource.objects.create(base_url=base_url, name=name or base_url.split("://")[-1])
    return source


def start_run(source: HarvestSource) -> HarvestRun:
    """A new run, resuming where the latest one stopped if it did not finish (killed, failed)."""
    now = timezone.now()
    with transaction.atomic():
        source = HarvestSource.objects.select_for_update().get(pk=source.pk)
        for running in source.runs.filter(status=Status.RUNNING):
            if not running.is_stale(now):
                raise HarvestBusy(_("A harvest of %(source)s is already running.") % {"source": source})
            _count(running)  # its last page's objects were committed one by one
            running.status = Status.INTERRUPTED
            running.finished_at = now
            running.message = _("Interrupted: its process stopped before the end; the next run resumed it.")
            running.save()
        latest = source.runs.order_by("-started_at").first()
        resume = latest if latest is not None and latest.status != Status.SUCCEEDED and latest.resume_cursor else None
        run = HarvestRun(
            source=source,
            started_at=now,
            heartbeat_at=now,
            since=resume.since if resume else source.harvested_until,
            resume_cursor=resume.resume_cursor if resume else "",
            latest_change_at=resume.latest_change_at if resume else None,
            resumed_from=resume,
        )
        run.claim()
        run.save()
    return run


def fetch_details(client: PeerClient, identifier: str) -> dict[str, dict] | None:
    """The record's detail in its original language first, then in every other language of the portal."""
    first = client.record(identifier)
    if first is None:
        return None
    original = first["language"]
    details = {original: first if first.get("text_language") == original else client.record(identifier, original)}
    if details[original] is None:
        return None
    for language, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if language not in details:
            detail = client.record(identifier, language)
            if detail is not None:
                details[language] = detail
    return details


def fetch_page_details(client: PeerClient, identifiers: list[str]) -> dict[str, dict[str, dict]] | None:
    """The details of a page of records in every language, in one request per language (not one per
    record and language): identifier → language → detail, the original's language first. A record
    the peer no longer publishes is absent. None when the peer cannot filter by identifier."""
    by_identifier: dict[str, dict[str, dict]] = {}
    for start in range(0, len(identifiers), 100):
        chunk = identifiers[start : start + 100]
        for language, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            found = client.records(chunk, language)
            if found is None:
                return None
            for detail in found:
                by_identifier.setdefault(detail["identifier"], {})[language] = detail
    details = {}
    for identifier, by_language in by_identifier.items():
        original = next(iter(by_language.values()))["language"]
        first = by_language.get(original) or client.record(identifier, original)  # a language not ours
        if first is not None:
            details[identifier] = {original: first, **{k: v for k, v in by_language.items() if k != original}}
    return details


def process_change(
    run: HarvestRun,
    client: PeerClient,
    change: dict,
    fetched: dict | None = None,
    aliases: bool = True,
    vocabularies: Vocabularies | None = None,
) -> HarvestObject | None:
    """Import, update or withdraw the record a change names. ``fetched``: details already fetched for
    the change's page (``fetch_page_details``), else they are fetched here, record by record."""
    identifier = change.get("identifier") or ""
    if change.get("kind", "record") != "record" or not identifier:
        return None
    page, message = None, ""
    try:
        if change.get("action") == "deleted":
            details = None
        elif fetched is not None:
            details = fetched.get(identifier)
        else:
            details = fetch_details(client, identifier)
        if details is None:
            outcome, page = withdraw_record(run.source, identifier)
        elif not run.source.in_scope(next(iter(details.values()))):
            outcome, page = withdraw_record(run.source, identifier)
            if outcome == Outcome.UNCHANGED and page is None:
                return None  # outside the source's scope and never harvested
        else:
            outcome, page = import_record(run.source, details, aliases=aliases, vocabularies=vocabularies)
    except PeerError:
        raise
    except ImportRefused as error:
        outcome, message = Outcome.FAILED, str(error)
    except Exception as error:  # one bad record must not stop the run; it is reported on the status page
        logger.exception("harvest of %s from %s failed", identifier, run.source)
        outcome, message = Outcome.FAILED, f"{error.__class__.__name__}: {error}"
    obj, _created = HarvestObject.objects.update_or_create(
        run=run,
        remote_identifier=identifier,
        defaults={
            "outcome": outcome,
            "message": message,
            "page": getattr(page, "page_ptr", page),
            "at": timezone.now(),
        },
    )
    return obj


def add_new_records(run: HarvestRun, changes: list[dict], fetched: dict | None, vocabularies: Vocabularies) -> dict:
    """The page's records new here, imported together in one transaction (:func:`import_new_records`):
    {identifier: its object, added}. Anything else, or the whole page if the batch fails, is left to
    :func:`process_change`, record by record."""
    if not fetched:
        return {}
    candidates = {}
    for change in changes:
        identifier = change.get("identifier")
        details = fetched.get(identifier) if _is_record_update(change) else None
        if details and identifier not in candidates and run.source.in_scope(next(iter(details.values()))):
            candidates[identifier] = details
    now = timezone.now()
    try:
        with transaction.atomic():
            pages = import_new_records(run.source, candidates, vocabularies, now)
            objects = HarvestObject.objects.bulk_create(
                [
                    HarvestObject(run=run, remote_identifier=identifier, outcome=Outcome.ADDED, page_id=page.pk, at=now)
                    for identifier, page in pages.items()
                ],
                update_conflicts=True,
                unique_fields=["run", "remote_identifier"],
                update_fields=["outcome", "message", "page", "at"],
            )
    except Exception:  # the records are then imported one by one, each reporting its own outcome
        logger.exception("bulk import of a page of %s failed; importing its records one by one", run.source)
        return {}
    return {obj.remote_identifier: obj for obj in objects}


def _is_record_update(change: dict) -> bool:
    return (
        change.get("kind", "record") == "record"
        and bool(change.get("identifier"))
        and change.get("action") != "deleted"
    )


KEPT = {Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED}
#: How often a run says it is alive while it works through a page (well under the stale delay).
HEARTBEAT = datetime.timedelta(seconds=10)


def _complete(objects: list[HarvestObject]) -> None:
    """The page's copies get their aliases in every other locale (in bulk); a copy found unchanged
    (read again after an interrupted run) is indexed again, in case the run stopped before it was."""
    if not objects:
        return
    pages = list(Page.objects.filter(pk__in=[obj.page_id for obj in objects], live=True))
    keys = [page.translation_key for page in pages]
    complete = set(
        Page.objects.filter(translation_key__in=keys)
        .order_by()  # Wagtail orders pages by path: grouped by it, every page would count alone
        .values("translation_key")
        .annotate(versions=Count("id"))
        .filter(versions__gte=Locale.objects.count())
        .values_list("translation_key", flat=True)
    )
    ensure_aliases_in_bulk([page for page in pages if page.translation_key not in complete])
    search_signals.schedule(keys)


def _count(run: HarvestRun) -> None:
    counts = dict(run.harvest_objects.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    for outcome in Outcome.values:
        setattr(run, outcome, counts.get(outcome, 0))


def harvest(
    source: HarvestSource, page_size: int | None = None, progress=None, client: PeerClient | None = None
) -> HarvestRun:
    """Harvest ``source`` once (incremental, resumable). ``progress(run, items_done)`` after each record.

    Each page of the changes feed costs one request per language for all its records. The page's
    records new here are created together, in one transaction (:func:`add_new_records`); every other
    change (an update, a withdrawal, a refusal) is handled record by record, each in its own
    transaction. The page's search indexing is done once, at the end of the page. A run killed
    midway reads its last page again: its records come back unchanged (or, if their batch never
    committed, new), and get there whatever aliases and indexing they missed."""
    client = client or PeerClient(source.base_url, token=source.api_token or None)
    run = start_run(source)
    vocabularies = Vocabularies()
    url = run.resume_cursor or client.changes_url(
        run.since.isoformat().replace("+00:00", "Z") if run.since else None,
        page_size or settings.HARVEST_PAGE_SIZE,
    )
    try:
        while url:
            page = client.get(url)
            changes = page.get("results", [])
            wanted = [change.get("identifier") for change in changes if _is_record_update(change)]
            fetched = fetch_page_details(client, list(dict.fromkeys(wanted))) if wanted else {}
            kept = []
            with search_signals.deferred():
                added = add_new_records(run, changes, fetched, vocabularies)
                for change in changes:
                    obj = added.pop(change.get("identifier"), None) if _is_record_update(change) else None
                    if obj is None:
                        obj = process_change(run, client, change, fetched, aliases=False, vocabularies=vocabularies)
                    if obj is not None and obj.page_id and obj.outcome in KEPT:
                        kept.append(obj)
                    at = parse_datetime(change.get("at") or "")
                    if at is not None and (run.latest_change_at is None or at > run.latest_change_at):
                        run.latest_change_at = at
                    if timezone.now() - run.heartbeat_at > HEARTBEAT:
                        run.heartbeat_at = timezone.now()
                        HarvestRun.objects.filter(pk=run.pk).update(heartbeat_at=run.heartbeat_at)
                    if progress is not None:
                        progress(run, 1)
                _complete(kept)
            url = page.get("next") or ""
            run.resume_cursor = url
            run.pages += 1
            run.heartbeat_at = timezone.now()
            _count(run)
            run.save()
    except PeerError as error:
        run.status, run.message = Status.FAILED, str(error)
    except Exception as error:
        run.status, run.message = Status.FAILED, f"{error.__class__.__name__}: {error}"
        logger.exception("harvest of %s failed", source)
    else:
        run.status = Status.SUCCEEDED
        HarvestSource.objects.filter(pk=source.pk).update(
            harvested_until=run.latest_change_at or run.since, last_success_at=run.started_at
        )
    run.finished_at = timezone.now()
    _count(run)
    run.save()
    return run


def harvest_due_sources() -> list[HarvestRun]:
    """The scheduled harvest: every active source whose interval has passed (one at a time)."""
    runs = []
    for source in HarvestSource.objects.filter(active=True):
        if source.is_due():
            try:
                runs.append(harvest(source))
            except HarvestBusy:
                continue
    return runs
