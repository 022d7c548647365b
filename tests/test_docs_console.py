"""The shell sessions in the README and docs/cli.md run as shown.

Each ```` ```console ```` block holds ``$ command`` lines, each followed by what it prints
(standard output and error together; ``...`` stands for any text). The blocks of one page run
in order in one fresh folder that holds a link to the repository's ``tests`` folder, so the
paths they show are the paths of a clone.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "docs" / "cli.md", ROOT / "docs" / "charts.md"]
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def sessions(page: Path) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs, in the order the page gives them."""
    pairs: list[tuple[str, str]] = []
    for block in _BLOCK.findall(page.read_text(encoding="utf-8")):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            pairs.append((command, output))
    return pairs


def test_every_page_has_sessions() -> None:
    assert all(sessions(page) for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_shell_sessions_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "200",
    }
    checker = doctest.OutputChecker()
    for command, expected in sessions(page):
        done = subprocess.run(
            command,
            shell=True,
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        got = done.stdout
        assert checker.check_output(expected, got, doctest.ELLIPSIS), (
            f"{page.name}: $ {command}\n--- expected\n{expected}--- got\n{got}"
        )
