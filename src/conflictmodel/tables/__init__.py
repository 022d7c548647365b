"""A dataset as tables, queried by an engine: DuckDB in-process, or Apache Spark.

:func:`write` writes the tables (one Parquet file each, in the layout of :mod:`.layout`);
:func:`open` opens them with an engine, and :func:`from_dataset` holds a loaded dataset's
tables in DuckDB's memory; the query functions
(:func:`~conflictmodel.casualties_by_actor`, :func:`~conflictmodel.ceasefire_violations`)
take what either returns and give the answers they give on the
:class:`~conflictmodel.Dataset`. Needs the ``arrow`` extra (and ``spark`` for Spark).

>>> import tempfile, conflictmodel as cm
>>> from conflictmodel import tables
>>> ds = cm.examples.idlib_2020()
>>> folder = tempfile.mkdtemp() + "/idlib"
>>> _ = tables.write(ds, folder)
>>> opened = tables.open(folder, engine="duckdb")
>>> cm.casualties_by_actor(opened) == cm.casualties_by_actor(ds)
True
>>> print(cm.casualties_by_actor(opened, according_to="turkey", roll_up=True))
syria              27 to 29
turkey             8
"""

from conflictmodel.tables.layout import FORMAT_VERSION, schemas
from conflictmodel.tables.lazy import load
from conflictmodel.tables.store import (
    ENGINES,
    HELD_AT_ONCE,
    ROW_GROUP_ROWS,
    Settings,
    Tables,
    from_dataset,
    open,
    write,
)

__all__ = [
    "ENGINES",
    "FORMAT_VERSION",
    "HELD_AT_ONCE",
    "ROW_GROUP_ROWS",
    "Settings",
    "Tables",
    "from_dataset",
    "load",
    "open",
    "schemas",
    "write",
]
