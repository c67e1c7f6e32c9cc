"""Recompute the matchmaking suggestions of every open need (after a reindex, or a change of weights)."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cooperation.suggestions import refresh_all


class Command(BaseCommand):
    help = "Recompute the suggested offers and experts of every open need."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, no_progress, **options):
        disable = no_progress or options.get("verbosity", 1) < 1

        def progress(items, label):
            return tqdm(items, desc=label, unit="need", disable=disable)

        count = refresh_all(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Suggestions recomputed for {count} open needs."))
