"""Bulk work without the cyclic garbage collector walking millions of live records."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


class Pause:
    """The collector's state within :func:`paused_gc`; :meth:`resume` turns it back on early."""

    def __init__(self) -> None:
        self.was_enabled = gc.isenabled()

    def resume(self) -> None:
        """Collect again from now on, as before the pause (for work that makes garbage cycles)."""
        if self.was_enabled:
            gc.enable()


@contextlib.contextmanager
def paused_gc() -> Iterator[Pause]:
    """Within the block, no cyclic garbage collection (the collector is restored after).

    A load makes millions of objects that all stay alive; the collector would walk them again
    and again as they pile up, for nothing. Errors are another matter: each holds reference
    cycles through its traceback, so the block calls :meth:`Pause.resume` once they come.
    """
    pause = Pause()
    gc.disable()
    try:
        yield pause
    finally:
        pause.resume()


def settle(freeze: bool) -> None:
    """After a load, if asked: move every tracked object to the permanent generation.

    The cyclic collector then never walks the loaded records again (without this, the first
    collections after a load of a million events walk millions of objects for seconds).
    Records hold no reference cycles, so they are still freed as soon as the dataset is dropped;
    but so is everything else in the process frozen, which is why it is not the default.
    """
    if freeze:
        gc.freeze()
