"""How far a file is read: a callback, or a tqdm bar on standard error.

>>> seen = []
>>> report = progress_callback(lambda done, total: seen.append((done, total)), "reading")
>>> report(0, 3), report(3, 3)
(None, None)
>>> seen
[(0, 3), (3, 3)]
>>> progress_callback(False, "reading") is None
True
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Never

from tqdm import tqdm

__all__ = ["Progress", "ProgressCallback", "progress_callback"]

ProgressCallback = Callable[[int, int], None]
"""Called as ``callback(done, expected)`` while a file is read (rows of a CSV file, records of
a JSON Lines file)."""

Progress = bool | ProgressCallback | None
"""``None``: a bar on standard error when it is a terminal; ``True``/``False``: always/never;
or a :data:`ProgressCallback`."""


class _Bar:
    """A tqdm progress bar on standard error, opened on the first report and closed at the
    end; shown only once ``delay`` seconds have passed."""

    def __init__(self, label: str, unit: str, delay: float) -> None:
        self.label, self.unit, self.delay = label, unit, delay
        self._bar: tqdm[Never] | None = None

    def __call__(self, done: int, expected: int) -> None:
        bar = self._bar
        if bar is None:
            bar = tqdm(
                total=expected, desc=self.label, unit=self.unit, file=sys.stderr, delay=self.delay
            )
            self._bar = bar
        bar.total = expected
        bar.update(done - bar.n)
        if done >= expected:
            bar.close()


def progress_callback(
    progress: Progress, label: str, unit: str = " rows", delay: float = 0.0
) -> ProgressCallback | None:
    """The callback that ``progress`` asks for, or ``None`` for no display; a bar counts in
    ``unit``, and the bar shown by default (``progress=None``) once ``delay`` seconds have
    passed."""
    if callable(progress):
        return progress
    if progress is None:
        return _Bar(label, unit, delay) if sys.stderr.isatty() else None
    return _Bar(label, unit, 0.0) if progress else None
