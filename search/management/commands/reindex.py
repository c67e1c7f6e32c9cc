"""Rebuild the search index from the published pages, in batches, with a progress bar.

With Elasticsearch configured the database index (its fallback) is rebuilt first. On Elasticsearch
this fills a new timestamped index and swaps the alias when it is complete (searches
keep working meanwhile); on the database it replaces each batch in its own transaction and finally
drops the rows of pages that are gone.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from search.indexing import indexable_translation_keys
from search.service import SearchService


class Command(BaseCommand):
    help = "Rebuild the search index (Elasticsearch when ELASTICSEARCH_URL is set, else the database)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Translation groups per batch (default 200).")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, batch_size, no_progress, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        service = SearchService()
        keys = indexable_translation_keys()
        disable = no_progress or options.get("verbosity", 1) < 1
        # Every writer (the database fallback, then Elasticsearch when configured) indexes every record.
        total = len(keys) * len(service.writers())
        # The log's lines (a first build tells how far its indexes are) are written above the bar.
        with tqdm(total=total, desc="Indexing", unit="record", disable=disable) as bar, logging_redirect_tqdm():
            written = service.rebuild(keys, batch_size=batch_size, progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {len(keys)} records as {written} documents (one per language) "
                f"with the {service.backend.name} backend."
            )
        )
