"""Put published records in the Records section of their language and give them an alias in every locale."""

from django.core.management.base import BaseCommand
from django.db import transaction

from workflows.review.repair import repair_record_languages


class Command(BaseCommand):
    help = (
        "Give every published record an alias in each language it has no page in. With --move-misfiled, first "
        "move records a submission filed under its submitter's profile language while their classification "
        "names another one (the rule is in workflows/review/repair.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--move-misfiled",
            action="store_true",
            help="Also move misfiled records (meant for records submitted before the form asked their language).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")

    def handle(self, *args, move_misfiled, dry_run, **options):
        with transaction.atomic():
            report = repair_record_languages(move_misfiled=move_misfiled, log=self.stdout.write)
            if dry_run:
                transaction.set_rollback(True)
        for page_id, why in report.skipped:
            self.stdout.write(self.style.WARNING(f"Record {page_id} left where it is: {why}"))
        summary = (
            f"{len(report.moved)} records moved, {sum(report.aliases.values())} aliases created "
            f"for {len(report.aliases)} records"
        )
        self.stdout.write(self.style.SUCCESS(("Dry run: " if dry_run else "") + summary + "."))
