"""Sphinx configuration for the conflictmodel documentation."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

project = "conflictmodel"
author = "the conflictmodel developers"
copyright = "2026, the conflictmodel developers"
try:
    release = _version("conflictmodel")
except PackageNotFoundError:  # building docs from a tree that is not installed
    release = "0.0.0"
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]

html_theme = "furo"
html_title = "conflictmodel"

autodoc_typehints = "description"
autodoc_member_order = "bysource"
nitpicky = False

# Every example in the docs is a test: `make docs` runs the doctest builder over
# ```{doctest} blocks and plain `>>>` blocks in the pages, and over the
# docstrings of every module pulled in with autodoc.
# Docstring examples use the names of their own module, as `python -m doctest` would see
# them; the star import and the two helpers below give the doctest builder the same names.
# Pages write `cm.X`.
# Doctests run in the docs folder, so the pages name files as seen from there.
doctest_global_setup = f"""
import os
os.chdir({os.path.dirname(os.path.abspath(__file__))!r})
import datetime
import pendulum
from hypothesis import HealthCheck, settings
settings.register_profile("docs", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("docs")
import conflictmodel as cm
from conflictmodel import *
from conflictmodel.queries import *
from conflictmodel.examples import idlib_2020
from conflictmodel.summary import describe_statement, findings, overview, overview_data
from conflictmodel.queries.over_time import killed_by_span, undated_killed
from conflictmodel.queries.counts import event_counts
from conflictmodel.nearby import events_near, point_of_place
from conflictmodel.queries.results import actor_label
from conflictmodel._html import html_table
from conflictmodel.plots import casualties_chart_data, credit, events_map_data
from conflictmodel.tables.layout import *
"""
doctest_test_doctest_blocks = "default"

# Intersphinx links to the Python, attrs and cattrs docs. Fetching
# their inventories needs the network, which CI and the development machines do
# not have, and `sphinx-build -W` would turn the failed fetch into an error.
# So the mapping is only set when CONFLICTMODEL_DOCS_INTERSPHINX=1, e.g. when
# building the published docs:
#     CONFLICTMODEL_DOCS_INTERSPHINX=1 make docs
# Otherwise cross-references to those projects render as plain text.
# pendulum is not listed: its site is not built with Sphinx and publishes no
# objects.inv, so an entry for it would fail even with the network.
_INTERSPHINX: dict[str, tuple[str, str | None]] = {
    "python": ("https://docs.python.org/3", None),
    "attrs": ("https://www.attrs.org/en/stable/", None),
    "cattrs": ("https://catt.rs/en/stable/", None),
}
intersphinx_mapping: dict[str, tuple[str, str | None]] = (
    _INTERSPHINX if os.environ.get("CONFLICTMODEL_DOCS_INTERSPHINX") == "1" else {}
)
