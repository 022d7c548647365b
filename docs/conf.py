"""Sphinx configuration for the conflictmodel documentation."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import os
import typing
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from typing import Any, TypeVar

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.nodes import get_node_source, make_refnode

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
# `make docs` is not nitpicky: without intersphinx (below) every reference to the standard
# library, pandas, pendulum or Hypothesis in a signature would warn. Check the project's own
# references with `sphinx-build -n`.
nitpicky = False
# No napoleon: the docstrings are plain reST, and napoleon would read a property's docstring
# "The grain: ..." as a type.

# Every example in the docs is a test: `make docs` runs the doctest builder over
# ```{doctest} blocks and plain `>>>` blocks in the pages, and over the
# docstrings of every module pulled in with autodoc.
# Docstring examples use the names of their own module, as `python -m doctest` would see
# them; the imports below give the doctest builder the same names.
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
from conflictmodel.linkage import *
from conflictmodel.linkage.synthetic import random_pair
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


def _imported_data_doc(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Module data a package imports from a submodule (``conflictmodel.tables.FORMAT_VERSION``)
    gets the docstring written under its assignment there, not the docstring of its type."""
    if what != "data":
        return
    package, _, attribute = name.rpartition(".")
    try:
        analyzer = ModuleAnalyzer.for_module(package)
    except Exception:
        return
    if ("", attribute) in analyzer.find_attr_docs():
        return
    for statement in ast.parse(analyzer.code).body:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.level == 0
            and statement.module is not None
            and any(alias.name == attribute and alias.asname is None for alias in statement.names)
        ):
            source = ModuleAnalyzer.for_module(statement.module).find_attr_docs()
            lines[:] = list(source.get(("", attribute), lines))
            return


@functools.cache
def _imported(dotted: str) -> object:
    """The object ``dotted`` names, importing its module; ``None`` when it names nothing."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except Exception:
            continue
        try:
            for part in parts[split:]:
                found = getattr(found, part)
        except AttributeError:
            return None
        return found
    return None


def _unbound(found: object) -> object:
    """The function of a classmethod got from its class (a new object each time)."""
    return found.__func__ if inspect.ismethod(found) else found


_VALUES = (bool, int, float, str, bytes, tuple, frozenset, type(None))


def _documented_names(app: Sphinx) -> dict[int, str]:
    """The name each documented object is documented by, by the object's ``id`` (each object
    kept alive by :func:`_imported`'s cache). Plain values such as numbers are left out: equal
    ones may be one object."""
    cached: dict[int, str] | None = getattr(app, "_documented", None)
    if cached is not None:
        return cached
    domain: Any = app.env.get_domain("py")
    documented: dict[int, str] = {}
    for name, entry in domain.objects.items():
        found = _unbound(_imported(name))
        if not entry.aliased and type(found) not in _VALUES:
            documented.setdefault(id(found), name)
    app._documented = documented  # type: ignore[attr-defined]
    return documented


def _scopes(node: Any) -> list[str]:
    """Where the reference was written, innermost first: the object whose docstring or
    signature holds it and the scopes around it, under the names it is documented by and
    those of the module that defines it."""
    written_in = []
    source = get_node_source(node) or ""
    if ":docstring of " in source:
        written_in.append(source.rsplit(":docstring of ", 1)[1].split(":")[0])
    described = node.parent
    while described is not None and not isinstance(described, addnodes.desc):
        described = described.parent
    if described is not None:
        for signature in described.findall(addnodes.desc_signature):
            names = [signature.get("module"), signature.get("fullname")]
            written_in.append(".".join(filter(None, names)))
            break
    if node.get("py:module"):
        written_in.append(".".join(filter(None, [node["py:module"], node.get("py:class")])))
    scopes: dict[str, None] = {}
    for name in written_in:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            scope = ".".join(parts[:end])
            scopes[scope] = None
            found = _imported(scope)
            module = getattr(found, "__module__", None)
            if isinstance(module, str) and not inspect.ismodule(found):
                qualname = getattr(found, "__qualname__", None)
                if qualname:
                    scopes[f"{module}.{qualname}"] = None
                scopes[module] = None
    return list(scopes)


def _resolve_other_path(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a reference as Python would find its object.

    A docstring's names are looked up where it is written (``conflictmodel.load`` is written in
    ``conflictmodel.io.json``, and its docstring names ``MAX_BYTES`` of that module). An object
    reached by another of its import paths resolves to where it is documented: Sphinx knows a
    function by one name, and ``conflictmodel.linkage.match``,
    ``conflictmodel.linkage.matching.match`` and ``conflictmodel.match`` are one function. A
    type variable or alias in a signature (``Key = str | None``) has no page and stays plain
    text.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    candidates = [f"{scope}.{target}" for scope in _scopes(node)] + [target]
    domain: Any = env.get_domain("py")
    types = domain.objtypes_for_role(node["reftype"]) or list(domain.object_types)
    documented = _documented_names(app)
    for candidate in candidates:
        parts = candidate.split(".")
        # By the documented name of the candidate's class or module first: an inherited method
        # is one function on every class that has it.
        for end in [*range(len(parts) - 1, 0, -1), len(parts)]:
            prefix = ".".join(parts[:end])
            found = _unbound(_imported(prefix))
            known = domain.objects.get(prefix)
            name = prefix if known is not None and not known.aliased else None
            if name is None and type(found) not in _VALUES:
                name = documented.get(id(found))
            entry = domain.objects.get(".".join([name, *parts[end:]])) if name else None
            if entry is not None and entry.objtype in types:
                return make_refnode(
                    app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, target
                )
        if isinstance(found, TypeVar) or typing.get_origin(found) is not None:
            return contnode
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", _imported_data_doc)
    app.connect("missing-reference", _resolve_other_path)
    return {"parallel_read_safe": True}
