"""``python -m conflictmodel.examples``: print what the seed report holds."""

from conflictmodel.examples import idlib_2020
from conflictmodel.summary import summarise

print(summarise(idlib_2020()))
