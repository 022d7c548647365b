"""Every file this library writes: to a temporary file beside the target, then renamed over it.

A crash, a ``kill -9`` or an error part-way never leaves a truncated file where a good one
was. The temporary file is named ``.<target name>.<process id>.<random>.tmp``; a write killed
before its rename leaves it behind, and the next write of the same target removes it once the
process that made it has ended (on POSIX systems; elsewhere they are left to be found by name).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_file(folder / "out.txt", encoding="utf-8") as stream:
...     _ = stream.write("all or nothing")
>>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
('all or nothing', ['out.txt'])
>>> with atomic_file(folder / "missing" / "out.txt"):
...     pass
Traceback (most recent call last):
...
conflictmodel.errors.OutputError: cannot write 'out.txt': the folder '...missing' does not exist
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from conflictmodel.errors import OutputError

_SUFFIX = ".tmp"


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{_SUFFIX}")


def _process_ended(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by killed writes; the paths removed."""
    if os.name != "posix":
        return []
    prefix = f".{target.name}."
    removed: list[Path] = []
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(_SUFFIX)):
                continue
            pid, _, token = name[len(prefix) : -len(_SUFFIX)].partition(".")
            if pid.isdigit() and token and _process_ended(int(pid)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _open_error(target: Path, error: OSError) -> OutputError:
    folder = target.parent
    if not folder.exists():
        reason = f"the folder {str(folder)!r} does not exist"
    elif not folder.is_dir():
        reason = f"{str(folder)!r} is not a folder"
    else:
        reason = f"cannot create a file in the folder {str(folder)!r}: {error.strerror}"
    return OutputError(f"cannot write {target.name!r}: {reason}")


def make_folder(directory: str | os.PathLike[str]) -> Path:
    """``directory``, made with its parents when missing."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot make the folder {str(folder)!r}: {error.strerror}") from error
    return folder


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], *, encoding: str | None = None) -> Iterator[IO[Any]]:
    """A stream to write ``path`` through: binary, or text in ``encoding`` (``newline=""``).

    What is written replaces ``path`` only when the block ends without an error; the file
    keeps the permissions of the one it replaces.
    """
    target = Path(path)
    remove_stale(target)
    temporary = _temporary(target)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _open_error(target, error) from error
    try:
        if encoding is None:
            stream: IO[Any] = os.fdopen(descriptor, "wb")
        else:
            stream = os.fdopen(descriptor, "w", encoding=encoding, newline="")
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise OutputError(f"cannot write {str(target)!r}: {error.strerror}") from error
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
