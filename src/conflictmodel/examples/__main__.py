"""``python -m conflictmodel.examples``: what ``conflictmodel demo`` prints, the seed report's
records and what the queries find in them."""

import sys

from conflictmodel.cli import main

sys.exit(main(["demo"]))
