"""Every error and warning of the package survives pickle and copy with its message and
attributes (multiprocessing, concurrent.futures and Spark executors pickle what they raise)."""

from __future__ import annotations

import copy
import importlib
import pickle
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import errors
from conflictmodel.cli import UsageError
from conflictmodel.io._extras import require
from conflictmodel.io.ucdp import read_ged
from conflictmodel.plots._style import ChartError

Example = Callable[[Path], BaseException]


def _raised(action: Callable[[], object]) -> BaseException:
    """The error ``action`` raises."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - every kind is wanted here
        action()
    return caught.value


def _warned(action: Callable[[], object]) -> Warning:
    """The warning ``action`` gives."""
    with pytest.warns(cm.ConflictModelWarning) as caught:
        action()
    message = caught[0].message
    assert isinstance(message, Warning)
    return message


def _actor(actor_id: str, part_of: str | None = None, aliases: tuple[str, ...] = ()) -> cm.Actor:
    return cm.Actor(
        id=actor_id, name=actor_id.title(), kind="state", part_of=part_of, aliases=aliases
    )


def _empty_csv(tmp: Path) -> Path:
    path = tmp / "ged.csv"
    path.write_text("", encoding="utf-8")
    return path


def _out_of_memory(tmp: Path) -> BaseException:
    """The error of a query DuckDB cannot run in the memory it may use."""
    from conflictmodel import tables

    folder = tmp / "tables"
    tables.write(cm.examples.idlib_2020(), folder)
    return _raised(lambda: tables.open(folder, settings={"memory_limit": "128KB"}))


_BROKEN_DOCUMENT = """{"format": "conflictmodel", "version": 1,
    "actors": [{"id": "x"}, {"id": 3, "name": "y", "kind": "state"}],
    "events": [{"type": "engagement", "id": "e", "when": "2020-13"}]}"""

EXAMPLES: dict[type[BaseException], Example] = {
    errors.ConflictModelError: lambda _: errors.ConflictModelError("something went wrong"),
    errors.ConflictModelWarning: lambda _: errors.ConflictModelWarning(
        "tables.write: the dataset's history is not written"
    ),
    errors.NoAccountWarning: lambda _: _warned(
        lambda: cm.casualties_by_actor(cm.examples.idlib_2020(), according_to="hts")
    ),
    errors.ValidationError: lambda _: _raised(lambda: cm.Estimate(5, 3, 8)),
    errors.UnknownNameError: lambda _: _raised(lambda: cm.examples.idlib_2020().actor("nobody")),
    errors.AmbiguousNameError: lambda _: _raised(
        lambda: cm.Dataset(
            [
                _actor("syria", aliases=("Syrian forces",)),
                _actor("army", aliases=("Syrian forces",)),
            ]
        ).actor("Syrian forces")
    ),
    errors.RegistrationError: lambda _: errors.RegistrationError(
        "@event_type('Drone Strike'): a tag is lower-case text such as 'displacement'"
    ),
    errors.PluginError: lambda _: errors.PluginError(
        "plug-in 'acme': cannot import acme.types: No module named 'acme'"
    ),
    errors.OutputError: lambda tmp: _raised(
        lambda: cm.dump(cm.examples.idlib_2020(), tmp / "missing" / "seed.json")
    ),
    errors.ProblemsError: lambda _: errors.ProblemsError(
        [
            errors.Problem("event 'attack'", "when", "cannot read '2020-13' as a time span"),
            errors.LoadProblem("events[3].casualties[0].killed.low", "expected an integer"),
        ],
        limit=1,
        uncollected=2,
    ),
    errors.DatasetError: lambda _: _raised(
        lambda: cm.Dataset([_actor("syria"), _actor("syria"), _actor("army", part_of="state")])
    ),
    errors.DuplicateIdError: lambda _: _raised(
        lambda: cm.Dataset([_actor("syria"), _actor("syria")])
    ),
    errors.UnresolvedReferenceError: lambda _: _raised(
        lambda: cm.Dataset([_actor("army", part_of="state")])
    ),
    errors.CycleError: lambda _: _raised(
        lambda: cm.Dataset([_actor("a", part_of="b"), _actor("b", part_of="a")])
    ),
    errors.LoadError: lambda _: _raised(lambda: cm.loads(_BROKEN_DOCUMENT)),
    errors.ImportFormatError: lambda tmp: _raised(lambda: read_ged(_empty_csv(tmp))),
    errors.ImportRowError: lambda _: errors.ImportRowError(
        "ged.csv, line 7: best is not a number: 'ten'"
    ),
    errors.MissingExtraError: lambda _: _raised(
        lambda: require("no_such_module", "plot", "casualties_chart()")
    ),
    errors.EngineError: _out_of_memory,
    UsageError: lambda _: UsageError("--to csv writes a folder of files; - works with geojson"),
    ChartError: lambda _: ChartError("casualties_chart(): no killed figures to draw"),
}
"""A realistic instance of every error and warning class, raised by the library where it can
be."""

_ATTRIBUTES = ("args", "problems", "uncollected", "field", "errno", "strerror", "filename")


def _package_classes() -> set[type[BaseException]]:
    """Every subclass of the package's error and warning bases that its modules define."""
    for module in pkgutil.walk_packages(cm.__path__, "conflictmodel."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[type[BaseException]] = set()
    waiting: list[type[BaseException]] = [errors.ConflictModelError, errors.ConflictModelWarning]
    while waiting:
        cls = waiting.pop()
        if cls.__module__.startswith("conflictmodel"):
            found.add(cls)
        waiting.extend(cls.__subclasses__())
    return found


def _assert_same(copied: BaseException, original: BaseException) -> None:
    assert type(copied) is type(original)
    assert str(copied) == str(original)
    for name in _ATTRIBUTES:
        assert getattr(copied, name, None) == getattr(original, name, None), name
    assert vars(copied) == vars(original)


def test_every_error_class_of_the_package_has_an_example() -> None:
    assert _package_classes() == set(EXAMPLES)


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda cls: cls.__name__)
def test_errors_survive_pickle_and_copy(cls: type[BaseException], tmp_path: Path) -> None:
    error = EXAMPLES[cls](tmp_path)
    assert type(error) is cls
    error.add_note("while importing ged.csv")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        _assert_same(pickle.loads(pickle.dumps(error, protocol)), error)
    _assert_same(copy.copy(error), error)
    _assert_same(copy.deepcopy(error), error)


def test_an_unpickled_dataset_error_keeps_its_problems() -> None:
    problem = cm.Problem("event 'x'", "when", "bad")
    back = pickle.loads(pickle.dumps(cm.DatasetError([problem])))
    assert back.problems == (problem,)
    assert str(back) == "1 problem in the dataset:\n  - event 'x'.when: bad"
    assert isinstance(back, cm.ValidationError)


_texts = st.text(min_size=1, max_size=12)
_record_problems = st.lists(st.builds(errors.Problem, _texts, _texts, _texts), max_size=30)
_path_problems = st.lists(st.builds(errors.LoadProblem, _texts, _texts), max_size=30)
_counts = st.integers(0, 5_000)
_limits = st.integers(1, 40)


@given(
    st.one_of(
        st.builds(
            errors.ProblemsError,
            st.lists(st.one_of(_record_problems, _path_problems)).map(
                lambda lists: [problem for each in lists for problem in each]
            ),
            limit=_limits,
            uncollected=_counts,
        ),
        st.builds(errors.LoadError, _path_problems, limit=_limits, uncollected=_counts),
        *(
            st.builds(cls, _record_problems)
            for cls in (
                errors.DatasetError,
                errors.DuplicateIdError,
                errors.UnresolvedReferenceError,
                errors.CycleError,
            )
        ),
    )
)
def test_any_list_of_problems_survives_pickle(error: errors.ProblemsError) -> None:
    back = pickle.loads(pickle.dumps(error))
    _assert_same(back, error)
    assert type(back.problems) is tuple
