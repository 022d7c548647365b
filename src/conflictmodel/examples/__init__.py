"""Worked examples, as datasets; :func:`idlib_2020` is the seed report."""

from conflictmodel.examples.idlib import idlib_2020

__all__ = ["idlib_2020"]
