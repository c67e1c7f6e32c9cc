"""Benchmark of the award evaluation arithmetic (``workflows/awards/aggregation.py``): the time to
aggregate, rank and normalise a committee's scores, for a few sizes of cycle.

    .venv/bin/python bench/awards.py
    .venv/bin/python bench/awards.py --members 5 --criteria 8 --nominations 5 50 500

Pure Python, no database: each size is timed over several repetitions and the median is printed.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows.awards.aggregation import Criterion, aggregate, normalised_aggregate, rank  # noqa: E402


def cycle(nominations: int, members: int, criteria: int, seed: int):
    rng = random.Random(seed)
    terms = [
        Criterion(f"c{number}", weight=rng.choice([1, 2, 3]), independent=number == 0) for number in range(criteria)
    ]
    jury = [f"m{number}" for number in range(members)]
    expected, scores, category_of = {}, {}, {}
    for number in range(nominations):
        nomination = f"n{number}"
        excluded = jury[number % members]  # one member excluded from each nomination (its country)
        expected[nomination] = {member for member in jury if member != excluded}
        category_of[nomination] = number % 2
        for member in expected[nomination]:
            for term in terms:
                if rng.random() > 0.02:  # a few scores missing
                    scores[(member, nomination, term.key)] = rng.randint(0, 5)
    return terms, scores, expected, category_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominations", type=int, nargs="+", default=[5, 50, 500])
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=9)
    options = parser.parse_args()
    print(f"members {options.members}, criteria {options.criteria} (one independent), median of {options.repeat} runs")
    print(f"{'nominations':>11} {'scores':>7} {'aggregate+rank ms':>18} {'z-score view ms':>16}")
    for size in options.nominations:
        terms, scores, expected, category_of = cycle(size, options.members, options.criteria, options.seed)
        raw, normalised = [], []
        for _ in range(options.repeat):
            start = time.perf_counter()
            results = aggregate(terms, scores, expected, threshold=2)
            rank(results, category_of)
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            normalised_aggregate(terms, scores, expected)
            normalised.append(time.perf_counter() - start)
        print(
            f"{size:>11} {len(scores):>7} {statistics.median(raw) * 1000:>18.2f} "
            f"{statistics.median(normalised) * 1000:>16.2f}"
        )


if __name__ == "__main__":
    main()
