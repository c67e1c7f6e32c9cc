"""Compile the gettext catalogues (locale/*/LC_MESSAGES/*.po → .mo) without GNU gettext.

``compilemessages`` needs the ``msgfmt`` program, which a fresh machine may lack; polib does the
same in Python. Fuzzy entries are left out, as msgfmt does. Each .mo file is replaced in one step, so
that a process loading the catalogues meanwhile (a running server or test) never reads half a file.
"""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (no GNU gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                for entry in catalogue.fuzzy_entries():
                    catalogue.remove(entry)
                partial_path = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
                catalogue.save_as_mofile(str(partial_path))
                partial_path.replace(mo_path)
                compiled += 1
        self.stdout.write(f"Compiled {compiled} catalogues.")
