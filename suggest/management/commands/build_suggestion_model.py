"""Build the suggestion model from the current content now (instead of at the first suggestion)."""

import time

from django.core.management.base import BaseCommand

from suggest import store


class Command(BaseCommand):
    help = "Build the model that suggests GBF targets and subjects while writing, and keep it in the cache."

    def handle(self, *args, **options):
        started = time.perf_counter()
        store.refresh()
        model = store.current_model()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{len(model.terms)} terms, {model.examples} published records, built in {elapsed:.2f} s")
        for (language, kind), vectors in sorted(model.vectors.items()):
            size = sum(len(vector) for vector in vectors.values())
            self.stdout.write(f"  {language} {kind}: {len(vectors)} vectors, {size} weighted words")
