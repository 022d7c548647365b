"""Every public name is documented in docs/: each name of ``conflictmodel.__all__`` under that
name, ``conflictmodel.X``, as docs/api.md promises; each name of a public subpackage's
``__all__`` (``conflictmodel.tables.FORMAT_VERSION``) under that name or, as the same object,
under another (``conflictmodel.linkage.match`` is documented as ``conflictmodel.match``).

The autodoc directives of the docs' sources (reST, in ``{eval-rst}`` blocks) are read; no
Sphinx build runs.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import itertools
import json
import pkgutil
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import conflictmodel

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_DIRECTIVE = re.compile(r"^(\s*)\.\. (auto\w+)::\s+([\w.]+)")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _documented(text: str) -> set[str]:
    """The full names the autodoc directives of ``text`` document: an ``automodule`` with
    ``:members:`` and no list documents the module's ``__all__``, less ``:exclude-members:``."""
    return {name for name, _ in _directives(text)}


def _directives(text: str) -> list[tuple[str, str]]:
    """Each name the autodoc directives of ``text`` document, with the directive: ``auto...``,
    or ``members`` for a name an ``automodule``'s ``:members:`` includes."""
    found: list[tuple[str, str]] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        directive = _DIRECTIVE.match(line)
        if directive is None:
            continue
        indent, kind, target = directive.groups()
        found.append((target, kind))
        options: dict[str, str] = {}
        option = None
        for following in lines[number + 1 :]:
            stripped = following.strip()
            if not stripped or len(following) - len(following.lstrip()) <= len(indent):
                break
            match = _OPTION.match(following)
            if match is not None:
                option = match.group(1)
                options[option] = match.group(2)
            elif option is not None:
                options[option] += " " + stripped
        if "members" not in options:
            continue
        members = _names(options["members"])
        if not members and kind == "automodule":
            members = list(getattr(importlib.import_module(target), "__all__", []))
        excluded = set(_names(options.get("exclude-members", "")))
        if kind == "automodule":
            kind = "members"
        found.extend((f"{target}.{name}", kind) for name in members if name not in excluded)
    return found


def _with_docstrings(module: ModuleType) -> set[str]:
    """The module-level names of ``module`` whose assignment a docstring follows."""
    body = ast.parse(inspect.getsource(module)).body
    return {
        target.id
        for statement, following in itertools.pairwise(body)
        if isinstance(statement, ast.Assign | ast.AnnAssign)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
        for target in (
            statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        )
        if isinstance(target, ast.Name)
    }


def _resolved(name: str) -> object:
    module, _, attribute = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        try:
            return getattr(_resolved(module), attribute)
        except (ImportError, AttributeError, ValueError):
            return None


def _public_subpackages() -> list[ModuleType]:
    return [
        importlib.import_module(f"conflictmodel.{info.name}")
        for info in pkgutil.iter_modules(conflictmodel.__path__)
        if info.ispkg and not info.name.startswith("_")
    ]


def _all_directives() -> list[tuple[str, str]]:
    return [found for page in DOCS.glob("*.md") for found in _directives(page.read_text())]


def _all_documented() -> set[str]:
    return {name for name, _ in _all_directives()}


def test_the_docs_directives_are_read() -> None:
    text = """
```{eval-rst}
.. autofunction:: conflictmodel.when

.. automodule:: conflictmodel.fields
   :members: text, optional_text,
      reference

.. automodule:: conflictmodel.tables
   :members:
   :exclude-members: Tables, open
```
"""
    assert _documented(text) == {
        "conflictmodel.when",
        "conflictmodel.fields",
        "conflictmodel.fields.text",
        "conflictmodel.fields.optional_text",
        "conflictmodel.fields.reference",
        "conflictmodel.tables",
        *(
            f"conflictmodel.tables.{name}"
            for name in conflictmodel.tables.__all__
            if name not in ("Tables", "open")
        ),
    }


def test_every_name_of_the_package_is_documented_under_its_name() -> None:
    names = _all_documented()
    missing = [name for name in conflictmodel.__all__ if f"conflictmodel.{name}" not in names]
    assert missing == [], f"not documented as conflictmodel.X in docs/*.md: {missing}"


def test_every_name_of_a_public_subpackage_is_documented() -> None:
    names = _all_documented()
    by_last_part: dict[str, list[str]] = {}
    for name in names:
        by_last_part.setdefault(name.rpartition(".")[2], []).append(name)
    subpackages = _public_subpackages()
    assert {"conflictmodel.linkage", "conflictmodel.tables"} <= {p.__name__ for p in subpackages}
    missing = []
    for package in subpackages:
        for name in getattr(package, "__all__", []):
            full = f"{package.__name__}.{name}"
            value = getattr(package, name)
            if full not in names and not any(
                _resolved(other) is value for other in by_last_part.get(name, [])
            ):
                missing.append(full)
    assert missing == [], f"documented nowhere in docs/*.md: {missing}"


def test_module_data_an_automodule_lists_has_a_docstring_there() -> None:
    """autodoc renders a module's data only with a docstring under its assignment in that
    module; data imported from another module (``conflictmodel.tables.FORMAT_VERSION``) needs
    an ``autodata`` directive, which docs/conf.py gives the docstring written where it is
    defined."""
    unrendered = []
    for name, kind in _all_directives():
        if kind != "members":
            continue
        module_name, _, attribute = name.rpartition(".")
        module = importlib.import_module(module_name)
        value = getattr(module, attribute)
        if inspect.isclass(value) or callable(value) or inspect.ismodule(value):
            continue
        if attribute not in _with_docstrings(module):
            unrendered.append(name)
    assert unrendered == [], f"listed in :members: but not rendered: {unrendered}"


def _module_of(name: str) -> str:
    """The longest importable module ``name`` starts with."""
    parts = name.split(".")
    for end in range(1, len(parts)):
        try:
            if importlib.util.find_spec(".".join(parts[: end + 1])) is None:
                return ".".join(parts[:end])
        except ModuleNotFoundError:  # its parent is a module, not a package
            return ".".join(parts[:end])
    return name


def _distributions(requirements: list[str], extras: set[str]) -> set[str]:
    """The distributions ``requirements`` install, with theirs (as installed here)."""
    found: set[str] = set()
    pending = [
        requirement
        for text in requirements
        if (requirement := Requirement(text)).marker is None
        or any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})
    ]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            theirs = requires(name) or []
        except PackageNotFoundError:
            continue
        for text in theirs:
            needed = Requirement(text)
            wanted = requirement.extras | {""}
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in wanted):
                pending.append(needed)
    return found


def test_the_documented_modules_import_with_the_docs_extra() -> None:
    """``sphinx-build -b html`` needs only the package and its ``docs`` extra: autodoc imports
    every module the pages document (conflictmodel.testing imports Hypothesis)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    docs_extra = project["optional-dependencies"]["docs"]
    allowed = _distributions([*project["dependencies"], *docs_extra], set())
    modules = sorted({_module_of(name) for name in _all_documented()})
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib, json, sys\n"
            "started = set(sys.modules)\n"
            "for name in sys.argv[1:]: importlib.import_module(name)\n"
            "print(json.dumps(sorted({m.partition('.')[0] for m in set(sys.modules) - started})))",
            *modules,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    owners = packages_distributions()
    needed = {
        canonicalize_name(distribution)
        for top in json.loads(imported.stdout)
        if top not in sys.stdlib_module_names and top != "conflictmodel"
        for distribution in owners.get(top, [])
    }
    assert "hypothesis" in needed
    assert needed - allowed == set(), f"imported, but not in the docs extra: {needed - allowed}"
