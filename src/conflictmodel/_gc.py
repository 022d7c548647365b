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
