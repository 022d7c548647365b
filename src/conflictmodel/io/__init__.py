"""Reading and writing datasets: serialisation, importers and exports.

Each module loads on first use, so ``cm.io.ucdp.read_ged`` needs no import of its own:

>>> import conflictmodel as cm
>>> cm.io.ucdp.read_ged.__name__
'read_ged'
"""

import importlib
from types import ModuleType

_MODULES = ("acled", "csv_export", "frames", "geojson", "json", "report", "schema", "ucdp")


def __getattr__(name: str) -> ModuleType:
    if name not in _MODULES:
        raise AttributeError(f"module 'conflictmodel.io' has no attribute {name!r}")
    return importlib.import_module(f"conflictmodel.io.{name}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
