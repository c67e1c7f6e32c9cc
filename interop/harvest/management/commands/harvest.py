"""``manage.py harvest <peer base URL>``: harvest a peer portal once, creating its source if needed."""

import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from interop.harvest.models import HarvestRun
from interop.harvest.services import HarvestBusy, harvest, source_for


class Command(BaseCommand):
    help = (
        "Harvest a peer portal's records once (incremental from the last successful run; resumes an interrupted one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="The peer portal's base address, e.g. https://chm.example.org")
        parser.add_argument("--name", help="The source's name, when it is created (default: the address's host)")
        parser.add_argument("--page-size", type=int, default=None, help="Changes per page of the peer's feed")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar or lines")
        parser.add_argument(
            "--token",
            help="The API token the peer issued to this portal; kept on the source for its next runs "
            "(default: the environment's HARVEST_TOKEN, else the source's own, else anonymous)",
        )

    def handle(self, base_url, name=None, page_size=None, no_progress=False, token=None, **options):
        try:
            URLValidator(schemes=["http", "https"])(base_url)
        except ValidationError as error:
            raise CommandError(f"Not a web address: {base_url}") from error
        source = source_for(base_url, name)
        token = token or os.environ.get("HARVEST_TOKEN")
        if token and token != source.api_token:
            source.api_token = token
            source.save(update_fields=["api_token"])
        progress, close = self._progress(no_progress)
        try:
            run = harvest(source, page_size=page_size, progress=progress)
        except HarvestBusy as error:
            raise CommandError(str(error)) from error
        finally:
            close()
        counts = ", ".join(f"{outcome} {count}" for outcome, count in run.outcome_counts().items())
        self.stdout.write(f"{source.name}: {run.get_status_display()} — {counts}")
        if run.status != HarvestRun.Status.SUCCEEDED:
            raise CommandError(run.message or run.get_status_display())

    def _progress(self, quiet: bool):
        if quiet:
            return None, lambda: None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="record", desc="harvest")
            return (lambda run, n: bar.update(n)), bar.close
        state = {"done": 0}

        def line(run, n):
            state["done"] += n
            if state["done"] % 100 == 0:
                self.stderr.write(f"harvest: {state['done']} records, page {run.pages + 1}")

        return line, lambda: self.stderr.write(f"harvest: {state['done']} records")
