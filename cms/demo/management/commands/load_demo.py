"""Fill the portal with realistic demo content (idempotent; shows progress)."""

import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules
from tqdm import tqdm

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
        autodiscover_modules("demo")
        disable = not self.stdout.isatty() and options.get("verbosity", 1) < 2

        def progress(iterable, desc, total=None):
            return tqdm(iterable, desc=f"{desc:<24}", total=total, unit="item", leave=True, disable=disable)

        context = DemoContext(progress=progress, scale=scale)
        # The demo's notifications go nowhere (demo users have example.org addresses), quietly.
        workflow_log = logging.getLogger("workflows")
        level = workflow_log.level
        if options.get("verbosity", 1) < 2:
            workflow_log.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for builder in builders():
                    builder.function(context)
        finally:
            workflow_log.setLevel(level)
        self._sync_locale_trees(progress)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def _sync_locale_trees(self, progress):
        """Give every page an alias in each language it is not translated into (as
        wagtail-localize's synchronize_tree does, page by page so that progress shows)."""
        from wagtail_localize.models import LocaleSynchronization
        from wagtail_localize.synctree import PageIndex

        from cms.demo.indexing import bulk_page_creation
        from content_types.base.translations import ensure_aliases

        page_index = PageIndex.from_database().sort_by_tree_position()
        for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
            missing = [
                entry
                for entry in page_index.not_translated_into(sync.locale)
                if sync.sync_from_id in entry.locales and sync.locale_id not in entry.aliased_locales
            ]
            bar = progress(None, f"Aliases in {sync.locale.language_code}", total=len(missing))
            # One transaction per batch: far fewer commits, and one search-index task per batch.
            for start in range(0, len(missing), 50):
                batch = missing[start : start + 50]
                with bulk_page_creation(), transaction.atomic():
                    for entry in batch:
                        source = entry.content_type.model_class().objects.get(
                            translation_key=entry.translation_key, locale=sync.sync_from
                        )
                        ensure_aliases(source, [sync.locale])
                if bar is not None:
                    bar.update(len(batch))
            if bar is not None:
                bar.close()
