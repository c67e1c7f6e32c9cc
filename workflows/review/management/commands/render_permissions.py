"""Write the review permission matrix to ``docs/permissions.md`` (or check that the file is current)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows.review.policy import render_markdown

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Render the review workflow's permission matrix (workflows/review/policy.py) into docs/permissions.md."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="Where to write the Markdown page.")
        parser.add_argument("--check", action="store_true", help="Fail if the file differs from the matrix.")

    def handle(self, *args, output, check, **options):
        path = Path(output)
        text = render_markdown()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run manage.py render_permissions")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
