"""How many examples the slower properties draw: a share of the profile's
(``HYPOTHESIS_PROFILE``, ``tests/conftest.py``), so that ``dev`` and ``thorough`` runs still
draw more than a CI run."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def share(part: float, *, at_least: int = 10) -> settings:
    """Settings that draw ``part`` of the profile's examples, and at least ``at_least``.

    >>> share(2, at_least=1).max_examples == 2 * settings().max_examples
    True
    """
    examples = max(at_least, round(settings().max_examples * part))
    return settings(max_examples=examples, suppress_health_check=[HealthCheck.too_slow])
