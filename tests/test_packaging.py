"""The package's metadata: one version, printed by ``conflictmodel --version``, and the Python
versions it declares."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import conflictmodel as cm
from conflictmodel.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _written_version(path: Path) -> str:
    """The literal assigned to ``__version__`` in ``path``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            assert isinstance(node.value, ast.Constant)
            assert isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError(f"{path} assigns no __version__")


def test_the_version_is_written_once_in_the_package() -> None:
    project = PROJECT["project"]
    assert "version" not in project
    assert "version" in project["dynamic"]
    source = ROOT / PROJECT["tool"]["hatch"]["version"]["path"]
    assert source == ROOT / "src" / "conflictmodel" / "__init__.py"
    assert _written_version(source) == cm.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", cm.__version__)


def test_the_command_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"conflictmodel {cm.__version__}\n"


def test_the_classifiers_name_every_python_from_the_oldest_supported() -> None:
    project = PROJECT["project"]
    oldest = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert oldest is not None
    minors = sorted(
        int(found[1])
        for classifier in project["classifiers"]
        if (found := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", classifier))
    )
    assert minors[0] == int(oldest[1])
    assert minors == list(range(minors[0], minors[-1] + 1))
    assert minors[-1] >= 13
