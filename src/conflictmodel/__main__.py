"""``python -m conflictmodel``: the command line."""

import sys

from conflictmodel.cli import main

sys.exit(main())
