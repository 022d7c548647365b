"""``python -m conflictmodel.examples``: print what the seed report holds and what it shows."""

from conflictmodel.examples import idlib_2020
from conflictmodel.summary import findings, summarise

print(summarise(idlib_2020()))
print()
print(findings(idlib_2020()))
