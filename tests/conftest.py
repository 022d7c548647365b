"""Shared pytest configuration: Hypothesis profiles.

Choose a profile with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (default): 100 examples per test, no deadline.
- ``ci``: 30 examples (a share of them where :mod:`tests.examples` says so), derandomized
  so CI runs are reproducible; used by ``make test``.
- ``thorough``: 1000 examples, for hunting rare failures locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
