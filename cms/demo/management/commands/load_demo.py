"""Fill the portal with realistic demo content (idempotent; shows progress)."""

import logging
import time
from contextlib import ExitStack

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules

from cms import content_version
from cms.demo.indexing import bulk_page_creation, index_in_bulk, sqlite_bulk_load
from cms.demo.progress import progress_factory
from cms.demo.registry import DemoContext, builders


class Command(BaseCommand):
    help = "Load demo content: sections, news, records, events, networks and users for every role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the amount of content (0.1 for a quick run)."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo content is already there.")

    def handle(self, *args, scale, if_empty, **options):
        from cms.home.models import SectionPage

        if if_empty and SectionPage.objects.exists():
            self.stdout.write("Demo content is already loaded.")
            return
        started = time.monotonic()
        autodiscover_modules("demo")
        verbosity = options.get("verbosity", 1)
        progress = progress_factory(self.stdout, terminal=self.stdout.isatty(), quiet=verbosity == 0)
        context = DemoContext(progress=progress, scale=scale)
        # The demo's notifications go nowhere (demo users have example.org addresses), quietly.
        workflow_log = logging.getLogger("workflows")
        level = workflow_log.level
        if verbosity < 2:
            workflow_log.setLevel(logging.WARNING)
        try:
            with ExitStack() as stack:
                # Thousands of saves: no query log (DEBUG), no per-save index work (one pass at the
                # end), and one transaction, so that what waits for a commit runs once.
                stack.enter_context(
                    override_settings(DEBUG=False, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
                )
                stack.enter_context(sqlite_bulk_load())
                stack.enter_context(bulk_page_creation())
                stack.enter_context(content_version.deferred())  # one new content version at the end
                with transaction.atomic():
                    for builder in builders():
                        builder.function(context)
                    self._sync_locale_trees(progress)
                index_in_bulk(progress)
        finally:
            workflow_log.setLevel(level)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded in {time.monotonic() - started:.0f} s."))

    def _sync_locale_trees(self, progress):
        """Give every page an alias in each language it is not translated into (what wagtail-localize's
        synchronize_tree does, for all pages at once)."""
        from wagtail.models import Locale, Page
        from wagtail_localize.models import LocaleSynchronization
        from wagtail_localize.synctree import PageIndex

        from content_types.base.translations import ensure_aliases_in_bulk

        page_index = PageIndex.from_database().sort_by_tree_position()
        wanted: dict = {}  # (translation key, locale to copy from) -> locales to alias it into
        for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
            for entry in page_index.not_translated_into(sync.locale):
                if sync.sync_from_id in entry.locales and sync.locale_id not in entry.aliased_locales:
                    wanted.setdefault((entry.translation_key, sync.sync_from_id), set()).add(sync.locale_id)
        if not wanted:
            return
        locales = {locale.pk: locale for locale in Locale.objects.all()}
        sources = {
            (page.translation_key, page.locale_id): page
            for page in Page.objects.filter(translation_key__in={key for key, _locale in wanted})
        }
        targets = {}
        for (key, source_locale), missing in wanted.items():
            source = sources[(key, source_locale)]
            targets[source.pk] = [locales[pk] for pk in sorted(missing)]
        pages = [page for page in sources.values() if page.pk in targets]
        bar = progress(None, "Aliases", total=sum(len(missing) for missing in targets.values()))
        ensure_aliases_in_bulk(pages, targets, progress=bar.update if bar is not None else None)
        if bar is not None:
            bar.close()
