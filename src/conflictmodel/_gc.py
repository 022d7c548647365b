"""Bulk work without the cyclic garbage collector walking millions of live records."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Within the block, no cyclic garbage collection (the collector is restored after).

    A load makes millions of objects that all stay alive; the collector would walk them again
    and again as they pile up, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FREEZE_FROM = 100_000
"""Loads of at least this many records freeze the collector's view of them by default."""


def settle(records: int, freeze: bool | None) -> None:
    """After a load of ``records`` records: move every tracked object to the permanent generation.

    The cyclic collector then never walks the loaded records again (without this, the first
    collections after a load of a million events walk millions of objects for seconds).
    Records hold no reference cycles, so they are still freed as soon as the dataset is dropped.
    ``freeze=None`` freezes only loads of :data:`FREEZE_FROM` records or more.
    """
    if freeze if freeze is not None else records >= FREEZE_FROM:
        gc.freeze()
