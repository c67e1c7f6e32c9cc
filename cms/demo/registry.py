"""Demo content builders. Each app may ship a ``demo.py`` whose functions register here; the
``load_demo`` command runs them in order. Builders must be idempotent (get-or-create by slug)."""

from collections.abc import Callable
from dataclasses import dataclass, field

_builders: list["DemoBuilder"] = []


@dataclass(order=True)
class DemoBuilder:
    order: int
    label: str = field(compare=False)
    function: Callable = field(compare=False)


def register_demo(order: int, label: str):
    """Register ``function(context)``; ``context`` is a :class:`DemoContext`."""

    def decorator(function):
        _builders.append(DemoBuilder(order, label, function))
        return function

    return decorator


def builders() -> list[DemoBuilder]:
    return sorted(_builders)


@dataclass
class DemoContext:
    """What builders share: the progress bar factory, the size asked for, and named pages."""

    progress: Callable
    scale: float = 1.0
    pages: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def count(self, base: int) -> int:
        return max(1, round(base * self.scale))
