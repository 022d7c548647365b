"""Optional dependencies, imported when first needed, with a message naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from conflictmodel.errors import MissingExtraError


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or explain which extra of conflictmodel installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{feature} needs {module.split('.')[0]}: pip install 'conflictmodel[{extra}]'"
        ) from None
