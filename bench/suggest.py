"""Quality of the suggestions while writing: precision, recall, F1 and precision@k of the GBF targets
and subjects suggested for the demo records, against the records' own classifications.

Honest evaluation: k-fold cross-validation (default 5 folds). Each record is scored by a model built
from the vocabulary, the keywords and the records of the *other* folds only, never from itself. The
"vocabulary only" rows use no record at all (what a new portal with no content gets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chm_bench .venv/bin/python bench/suggest.py

The database is ``<name of DATABASE_URL>_x<scale>`` (as bench/pages.py builds it: created, migrated and
filled by ``load_demo --scale N`` when missing); the name must contain "bench".
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

THRESHOLDS = (0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.30)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Demo content scale (default 1).")
    parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds (default 5).")
    parser.add_argument("--seed", type=int, default=11, help="Seed of the fold assignment (default 11).")
    return parser.parse_args()


class Tally:
    """Counts for micro-averaged precision and recall, and the sums for precision@k."""

    def __init__(self):
        self.records = self.suggested = self.relevant = self.correct = 0
        self.at = defaultdict(float)

    def add(self, ranked: list[tuple[str, float]], gold: set, threshold: float) -> None:
        shown = [code for code, score in ranked[:5] if score >= threshold]
        self.records += 1
        self.suggested += len(shown)
        self.relevant += len(gold)
        self.correct += len(set(shown) & gold)
        for k in (1, 3):
            top = [code for code, _score in ranked[:k]]
            self.at[k] += len(set(top) & gold) / k

    def row(self) -> dict:
        precision = self.correct / self.suggested if self.suggested else 0.0
        recall = self.correct / self.relevant if self.relevant else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "records": self.records,
            "shown": self.suggested / self.records if self.records else 0.0,
            "P": precision,
            "R": recall,
            "F1": f1,
            "P@1": self.at[1] / self.records if self.records else 0.0,
            "P@3": self.at[3] / self.records if self.records else 0.0,
        }


def ranked_codes(model, text: str, language: str, kind: str) -> list[tuple[str, float]]:
    scores, _query = model.scores(text, language, kind)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def evaluate(terms, examples, folds: int, seed: int, thresholds=THRESHOLDS):
    """{(method, language, kind, threshold): Tally} for the vocabulary-only model and cross-validation."""
    from suggest.analysis import base_language
    from suggest.model import KINDS, SuggestionModel

    kind_of = {term.code: term.kind for term in terms}
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    fold_of = {index: position % folds for position, index in enumerate(order)}
    tallies = defaultdict(Tally)
    vocabulary_only = SuggestionModel.build(terms, [])
    models = {
        fold: SuggestionModel.build(terms, [example for i, example in enumerate(examples) if fold_of[i] != fold])
        for fold in range(folds)
    }
    for index, example in enumerate(examples):
        language = base_language(example.language)
        for method, model in (
            ("vocabulary only", vocabulary_only),
            (f"+ records ({folds}-fold)", models[fold_of[index]]),
        ):
            for kind in KINDS:
                gold = {code for code in example.codes if kind_of.get(code) == kind}
                if not gold:
                    continue
                ranked = ranked_codes(model, example.text, language, kind)
                for threshold in thresholds:
                    for scope in (language, "all", f"type:{example.record_type}"):
                        tallies[method, scope, kind, threshold].add(ranked, gold, threshold)
    return tallies


def chance(terms, examples, kind: str) -> float:
    """Precision@1 of a random guess: the mean share of the terms of ``kind`` a record has."""
    total = sum(1 for term in terms if term.kind == kind)
    kinds = {term.code: term.kind for term in terms}
    shares = [
        len([code for code in example.codes if kinds.get(code) == kind]) / total
        for example in examples
        if any(kinds.get(code) == kind for code in example.codes)
    ]
    return sum(shares) / len(shares) if shares else 0.0


def print_tables(tallies, terms, examples, threshold: float) -> None:
    columns = ("records", "shown", "P", "R", "F1", "P@1", "P@3")
    header = f"{'method':<22} {'lang':<4} {'kind':<8} " + " ".join(f"{name:>7}" for name in columns)
    print(f"\nAt the portal's threshold ({threshold:g}), at most 5 suggestions of each kind per record:\n")
    print(header)
    print("-" * len(header))
    for method, scope, kind, level in sorted(tallies, key=lambda key: (key[0] != "vocabulary only", key[1], key[2])):
        if level != threshold or scope.startswith("type:"):
            continue
        row = tallies[method, scope, kind, level].row()
        cells = [f"{row['records']:>7}", f"{row['shown']:>7.2f}"]
        cells += [f"{row[name]:>7.3f}" for name in columns[2:]]
        print(f"{method:<22} {scope:<4} {kind:<8} " + " ".join(cells))
    print(
        f"\nChance precision@1 (a random term): target {chance(terms, examples, 'target'):.3f}, "
        f"subject {chance(terms, examples, 'subject'):.3f}"
    )
    print(
        "The demo classifies as an editor would: a record's GBF targets are those of the subjects its text\n"
        "is about (one record in ten gets one more); experts' titles and summaries name no subject, and\n"
        "reports' summaries no target number."
    )
    print("\nBy record type (records of the other folds): does the record's own text speak of its terms?\n")
    print(f"{'type':<10} {'kind':<8} {'records':>7} {'P':>7} {'R':>7} {'P@1':>7}")
    for method, scope, kind, level in sorted(tallies, key=lambda key: (key[1], key[2])):
        if level != threshold or not scope.startswith("type:") or method == "vocabulary only":
            continue
        row = tallies[method, scope, kind, level].row()
        print(
            f"{scope.removeprefix('type:'):<10} {kind:<8} {row['records']:>7} {row['P']:>7.3f} {row['R']:>7.3f} "
            f"{row['P@1']:>7.3f}"
        )
    print("\nThreshold sweep (all languages, records of the other folds):\n")
    print(f"{'threshold':>9} {'kind':<8} {'shown':>7} {'P':>7} {'R':>7} {'F1':>7}")
    for kind in ("target", "subject"):
        for level in THRESHOLDS:
            key = next(
                (key for key in tallies if key[0] != "vocabulary only" and key[1:] == ("all", kind, level)), None
            )
            if key is None:
                continue
            row = tallies[key].row()
            print(f"{level:>9g} {kind:<8} {row['shown']:>7.2f} {row['P']:>7.3f} {row['R']:>7.3f} {row['F1']:>7.3f}")


def main():
    args = parse_args()
    from bench.pages import prepare_database, progress, scale_database_url

    os.environ["DATABASE_URL"] = scale_database_url(args.scale)
    import django

    django.setup()
    prepare_database(args.scale)

    from suggest.model import DEFAULT_THRESHOLD
    from suggest.store import published_examples, vocabulary_terms

    started = time.perf_counter()
    terms = vocabulary_terms()
    examples = published_examples()
    languages = sorted({example.language for example in examples})
    progress(f"{len(terms)} terms, {len(examples)} published records ({', '.join(languages)})")
    tallies = evaluate(terms, examples, args.folds, args.seed)
    elapsed = time.perf_counter() - started
    print(
        "Command: DATABASE_URL=postgres://…/<name with bench> .venv/bin/python bench/suggest.py "
        f"--scale {args.scale:g} --folds {args.folds} --seed {args.seed}"
    )
    print_tables(tallies, terms, examples, DEFAULT_THRESHOLD)
    print(f"\n{len(examples)} records evaluated, {args.folds + 1} models built, in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
