"""``python -m conflictmodel.examples``: ``conflictmodel demo``, with its options (``-o FILE``,
``--help``): the seed report's records and what the queries find in them."""

import sys

from conflictmodel.cli import main

sys.exit(main(["demo", *sys.argv[1:]]))
