"""Worked examples, as datasets; :func:`idlib_2020` is the seed report, :func:`karabakh_2020`
the October 2020 Nagorno-Karabakh truces."""

from conflictmodel.examples.idlib import idlib_2020
from conflictmodel.examples.karabakh import karabakh_2020

__all__ = ["idlib_2020", "karabakh_2020"]
