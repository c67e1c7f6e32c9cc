"""Progress of long commands: tqdm bars on a terminal, plain lines in a log or a pipe.

A bar redrawn in place turns into hundreds of lines (or none at all) when the output is not a
terminal, so there the command prints "label 120/215" lines instead, at most every few seconds
or every tenth of the way, and always at the end.
"""

import time

from tqdm import tqdm

LINE_INTERVAL = 2.0  # seconds between two plain lines, at most
LINE_SHARE = 0.1  # or when another tenth of the way is done


class LineProgress:
    """The part of tqdm's interface the demo builders use, printing plain lines to ``stream``."""

    def __init__(self, iterable=None, *, desc: str, total: int | None, stream, clock=time.monotonic):
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except TypeError:
                total = None
        self.iterable = iterable
        self.desc = desc.strip()
        self.total = total
        self.stream = stream
        self.clock = clock
        self.n = 0
        self.shown = -1
        self.shown_at = clock()
        self.closed = False

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)
        self.close()

    def update(self, count: int = 1) -> None:
        self.n += count
        now = self.clock()
        step = max(1, round((self.total or 0) * LINE_SHARE))
        if now - self.shown_at >= LINE_INTERVAL or (self.total and self.n - max(self.shown, 0) >= step):
            self.show(now)

    def show(self, now=None) -> None:
        counted = f"{self.n}/{self.total}" if self.total is not None else str(self.n)
        self.stream.write(f"{self.desc} {counted}\n")
        self.stream.flush()
        self.shown = self.n
        self.shown_at = self.clock() if now is None else now

    def close(self) -> None:
        if not self.closed and self.n != self.shown:
            self.show()
        self.closed = True


def progress_factory(stream, *, terminal: bool, quiet: bool = False):
    """``progress(iterable, desc, total=None)``: a tqdm bar on a terminal, plain lines elsewhere,
    nothing at all when ``quiet``. Without an iterable it returns the bar, to be ``update``d and closed."""

    def progress(iterable, desc, total=None):
        if quiet:
            return tqdm(iterable, total=total, disable=True)
        if terminal:
            return tqdm(iterable, desc=f"{desc:<24}", total=total, unit="item", leave=True)
        return LineProgress(iterable, desc=desc, total=total, stream=stream)

    return progress
