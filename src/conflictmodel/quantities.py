"""Counts with uncertainty: UCDP's low / best / high, and the hedged words of reports.

>>> Estimate.parse("almost 30")
Estimate(low=27, best=None, high=29)
>>> print(Estimate.exact(8) + Estimate.parse("almost 30"))
35 to 37
>>> print(Estimate.parse("dozens of") + Estimate.exact(8))
20 to 107
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, cast

import attrs
from text_to_num import text2num

from conflictmodel._checks import count, describe, fail
from conflictmodel.errors import ValidationError
from conflictmodel.records import holds_no_references


@holds_no_references
@attrs.frozen
class Estimate:
    """A count of people as ``low <= best <= high``; ``high=None`` is an open upper bound.

    Each count is at most ``MAX_COUNT`` (2⁶³ − 1); sums of estimates are exact.

    An open bound is what "at least 8" or "more than 100" says: no ceiling is known.
    ``best=None`` is an unknown best figure: only the range is known, as when sources
    disagree or a report says "dozens". A range of one number has that number as its best.
    ``low=None`` is a best figure with no floor stated (:meth:`best_only`), as UCDP gives
    the dead of each side: it needs a best. Estimates add as intervals, part by part: an
    open bound stays open, an unknown best stays unknown and a missing floor stays missing,
    so a sum of a figure with no floor and one with no best states neither (only a sum can).

    >>> Estimate(5, 8, None)
    Estimate(low=5, best=8, high=None)
    >>> str(Estimate(27, 29, 29)), str(Estimate.exact(8)), str(Estimate(8, 8, None))
    ('29 (27–29)', '8', '8 (8 or more)')
    >>> str(Estimate(12, None, 100)), str(Estimate(12, None, None))
    ('12 to 100', '12 or more')
    >>> str(Estimate.best_only(40)), str(Estimate(None, 40, 50))
    ('40 (no range stated)', '40 (at most 50)')
    >>> print(Estimate.best_only(40) + Estimate.between(12, 100))
    not stated
    """

    low: int | None = attrs.field(validator=attrs.validators.optional(count))
    best: int | None = attrs.field(validator=attrs.validators.optional(count))
    high: int | None = attrs.field(validator=attrs.validators.optional(count))

    def __attrs_post_init__(self) -> None:
        for part, broken in broken_rules(self.low, self.best, self.high):
            if broken:
                fail(self, getattr(attrs.fields(Estimate), part), self._refusal(part))
        if self.best is None and self.high == self.low:
            object.__setattr__(self, "best", self.low)

    def _refusal(self, part: str) -> str:
        """Why the parts break the rule of :func:`broken_rules` that names ``part``."""
        if part == "low":
            return "give a low or a best figure (None is neither)"
        if part == "best":
            return f"{self.best} is below low {self.low}"
        named = "low" if self.best is None else "best"
        return f"{self.high} is below {named} {best_or_low_of(self.low, self.best)}"

    @classmethod
    def between(cls, low: int, high: int | None) -> Estimate:
        """A range with no best figure: ``low`` to ``high`` (``None``: no ceiling).

        >>> Estimate.between(12, 100)
        Estimate(low=12, best=None, high=100)
        """
        return cls(low, None, high)

    @classmethod
    def exact(cls, number: int) -> Estimate:
        """A count known exactly.

        >>> Estimate.exact(8)
        Estimate(low=8, best=8, high=8)
        """
        return cls(number, number, number)

    @classmethod
    def best_only(cls, best: int) -> Estimate:
        """A best figure with no range stated: neither a floor nor a ceiling.

        >>> Estimate.best_only(40)
        Estimate(low=None, best=40, high=None)
        """
        return cls(None, best, None)

    @classmethod
    def zero(cls) -> Estimate:
        """Nobody: the neutral element of addition."""
        return cls(0, 0, 0)

    @classmethod
    def parse(cls, text: str | int) -> Estimate:
        """Read a hedged phrase from a report, or a count; the table is in :doc:`/concepts`.

        >>> Estimate.parse("at least 8")
        Estimate(low=8, best=8, high=None)
        >>> Estimate.parse("hundreds of thousands")
        Estimate(low=100000, best=None, high=999999)
        >>> Estimate.parse("fifteen"), Estimate.parse(15), Estimate.parse("1.200")
        ... # doctest: +NORMALIZE_WHITESPACE
        (Estimate(low=15, best=15, high=15), Estimate(low=15, best=15, high=15),
         Estimate(low=1200, best=1200, high=1200))
        """
        return parse_estimate(text)

    @property
    def is_exact(self) -> bool:
        """Whether low, best and high are one number."""
        return self.low == self.best == self.high

    @property
    def has_best(self) -> bool:
        """Whether a best figure is known."""
        return self.best is not None

    @property
    def best_or_low(self) -> int:
        """The one number a chart, a ranking or a ratio uses: the best figure, or the lowest
        stated one when no best is known (never a figure nobody gave); 0, the least any count
        can be, for a sum stating neither.

        >>> Estimate.between(12, 100).best_or_low, Estimate(5, 8, None).best_or_low
        (12, 8)
        """
        stated = best_or_low_of(self.low, self.best)
        return 0 if stated is None else stated

    @property
    def is_stated(self) -> bool:
        """Whether it states a low or a best figure: every estimate made does; a sum of one
        with no floor and one with no best states neither.

        >>> (Estimate.best_only(5) + Estimate.between(2, 10)).is_stated
        False
        """
        return best_or_low_of(self.low, self.best) is not None

    @property
    def has_floor(self) -> bool:
        """Whether a low figure is stated (see :meth:`best_only`)."""
        return self.low is not None

    @property
    def is_open(self) -> bool:
        """Whether the upper bound is open."""
        return self.high is None

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int) or isinstance(number, bool):
            return False
        return (self.low or 0) <= number and (self.high is None or number <= self.high)

    def __add__(self, other: Estimate) -> Estimate:
        if not isinstance(other, Estimate):
            return NotImplemented
        high = None if self.high is None or other.high is None else self.high + other.high
        best = None if self.best is None or other.best is None else self.best + other.best
        floorless = self.low is None or other.low is None
        low = (self.low or 0) + (other.low or 0)
        return sum_of_estimates(low, best, high, floorless=floorless)

    def __str__(self) -> str:
        return self._text(str)

    def __format__(self, spec: str) -> str:
        """As :func:`str`, each number formatted by ``spec``.

        >>> f"{Estimate(1200, None, None):,}", f"{Estimate(1200, 1500, 3400):,}"
        ('1,200 or more', '1,500 (1,200–3,400)')
        """
        return self._text(lambda number: format(number, spec))

    def _text(self, written: Callable[[int], str]) -> str:
        high = None if self.high is None else written(self.high)
        if not self.is_stated:
            return "not stated" if high is None else f"at most {high}"
        if self.low is None:
            best = written(self.best_or_low)
            return f"{best} (no range stated)" if high is None else f"{best} (at most {high})"
        low = written(self.low)
        if self.is_exact:
            return low
        if self.best is None:
            return f"{low} or more" if high is None else f"{low} to {high}"
        best = written(self.best)
        return f"{best} ({low} or more)" if high is None else f"{best} ({low}–{high})"


ESTIMATE_PARTS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Estimate))
"""The parts of an :class:`Estimate`, in order: ``("low", "best", "high")``, each a column
(after a prefix) wherever figures are laid out in tables."""


@attrs.frozen
class PartOperations:
    """What :func:`broken_rules` and :func:`best_or_low_of` do with an estimate's parts, for
    parts held as plain numbers (:data:`ON_NUMBERS`) or as an engine's columns (in
    :mod:`conflictmodel.tables.store`), so that the rules are written once for both.
    A part may be missing (``None``, or null)."""

    below: Callable[[Any, Any], Any]
    """Whether the first is below the second (false, or null, where either is missing)."""
    either: Callable[[Any, Any], Any]
    """The first, or the second where the first is missing."""
    missing: Callable[[Any], Any]
    """Whether it is missing."""


ON_NUMBERS = PartOperations(
    below=lambda first, second: first is not None and second is not None and first < second,
    either=lambda first, second: second if first is None else first,
    missing=lambda part: part is None,
)
"""The operations on parts held as ``int`` or ``None``."""


def best_or_low_of(low: Any, best: Any, on: PartOperations = ON_NUMBERS) -> Any:
    """The best figure, or the low where no best is stated; missing where neither is (see
    :attr:`Estimate.best_or_low`).

    >>> from conflictmodel.quantities import best_or_low_of
    >>> best_or_low_of(12, None), best_or_low_of(None, None)
    (12, None)
    """
    return on.either(best, low)


def broken_rules(
    low: Any, best: Any, high: Any, on: PartOperations = ON_NUMBERS
) -> tuple[tuple[str, Any], ...]:
    """The rules an :class:`Estimate`'s parts keep beyond each being a count, each with the
    part a refusal names and whether the parts break it: a low or a best is stated, the best
    is not below the low, the high not below the best (or the low, where no best is stated).
    :class:`Estimate` refuses parts breaking one; the engines find the figures in tables that
    break one from the same rules.

    >>> from conflictmodel.quantities import broken_rules
    >>> [part for part, broken in broken_rules(9, 4, 5) if broken]
    ['best']
    """
    stated = best_or_low_of(low, best, on)
    return (
        ("low", on.missing(stated)),
        ("best", on.below(best, low)),
        ("high", on.below(high, stated)),
    )


def total(estimates: Iterable[Estimate]) -> Estimate:
    """The interval sum of estimates; zero for none.

    >>> total([Estimate.exact(8), Estimate(27, 29, 29)])
    Estimate(low=35, best=37, high=37)
    """
    if not isinstance(estimates, Iterable):
        raise ValidationError(
            f"total() takes an iterable of Estimate values, got {describe(estimates)}"
        )
    low = best = high = 0
    open_high = unknown_best = floorless = False
    for estimate in estimates:
        if not isinstance(estimate, Estimate):
            raise ValidationError(f"total() adds Estimate values, got {describe(estimate)}")
        if estimate.low is None:
            floorless = True
        else:
            low += estimate.low
        if estimate.best is None:
            unknown_best = True
        else:
            best += estimate.best
        if estimate.high is None:
            open_high = True
        else:
            high += estimate.high
    return sum_of_estimates(
        low, None if unknown_best else best, None if open_high else high, floorless=floorless
    )


def sum_of_estimates(
    low: int, best: int | None, high: int | None, *, floorless: bool = False
) -> Estimate:
    """The estimate of a sum of valid estimates, exact even past ``MAX_COUNT``: ``low`` is
    the sum of the lows stated, ``floorless`` whether a part states none.

    A count is at most ``MAX_COUNT`` (what files and engines hold), but a total is a
    Python integer and never wraps; the ordering of the parts carries over to their sums.
    A sum with a part stating no floor has none.

    >>> total([Estimate.exact(2**62)] * 4).best == 2**64
    True
    >>> total([Estimate.best_only(5), Estimate.exact(3)])
    Estimate(low=None, best=8, high=None)
    >>> total([Estimate.best_only(5), Estimate.between(2, 10)])
    Estimate(low=None, best=None, high=None)
    """
    floor = None if floorless else low
    estimate: Estimate = object.__new__(Estimate)
    for name, value in (("low", floor), ("best", best), ("high", high)):
        object.__setattr__(estimate, name, value)
    return estimate


_VAGUE = {
    "a few": (2, 5),
    "several": (3, 9),
    "many": (10, None),
    "tens": (10, 99),
    "dozens": (12, 99),
    "scores": (20, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (100_000, 999_999),
    "millions": (1_000_000, 9_999_999),
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMERAL = re.compile(r"(\d[\d,.]*)(?:\s+(thousand|million|billion))?")
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_RANGE = re.compile(r"(?:between\s+)?(.+?)\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*(.+)")
_HEDGES = (
    (("almost", "nearly", "close to", "just under"), "almost"),
    (("about", "around", "approximately", "roughly", "some", "an estimated", "estimated"), "about"),
    (("at least", "no fewer than", "no less than", "a minimum of"), "at least"),
    (("more than", "over", "above", "upwards of"), "more than"),
    (("up to", "fewer than", "less than", "under", "at most"), "up to"),
)


def _numeral(digits: str, scale: str | None) -> int | None:
    """A numeral's value, ``None`` when it is not a whole number.

    Commas group thousands ("1,200"). Dots group thousands only where no scale word follows and
    every group after the first has three digits ("1.200", "1.200.000"): a count has no
    fraction, so "1.200" people are 1200. Before a scale word a dot is a decimal point
    ("1.5 million").
    """
    if scale is None and _DOT_GROUPED.fullmatch(digits):
        return int(digits.replace(".", ""))
    if not _COMMA_GROUPED.fullmatch(digits):
        return None
    value = Decimal(digits.replace(",", "")) * _SCALES.get(scale or "", 1)
    return int(value) if value == int(value) else None


def _number(phrase: str) -> int | None:
    phrase = phrase.strip()
    numeral = _NUMERAL.fullmatch(phrase)
    if numeral:
        return _numeral(*numeral.groups())
    if phrase.startswith(("a ", "an ")):
        phrase = "one " + phrase.split(" ", 1)[1]
    if phrase.endswith("dozen"):
        dozens = _number(phrase.removesuffix("dozen")) if phrase != "dozen" else 1
        return None if dozens is None else dozens * 12
    try:
        return int(text2num(phrase, "en"))
    except ValueError:
        return None


def _hedged(hedge: str, number: int) -> tuple[int, int | None, int | None]:
    """``(low, best, high)`` of a hedged number: a best figure only where the phrase states
    one ("about 50", "at least 8"); "almost 30", "more than 100" and "up to 20" bound the
    count but state no figure in the range, so their best is unknown."""
    tenth = -(-number // 10)
    if hedge == "almost":
        below = max(number - 1, 0)
        return (min(number - tenth, below), None, below)
    if hedge == "about":
        return (number - tenth, number, number + tenth)
    if hedge == "at least":
        return (number, number, None)
    if hedge == "more than":
        return (number + 1, None, None)
    return (0, None, number)


def parse_estimate(text: str | int) -> Estimate:
    """Read a hedged phrase or a count; :meth:`Estimate.parse` is the usual way in."""
    if isinstance(text, int) and not isinstance(text, bool):
        return Estimate.exact(text)
    if not isinstance(text, str):
        raise ValidationError(f"Estimate.parse expects text or a count, got {describe(text)}")
    phrase = " ".join(text.lower().replace("\u00a0", " ").split()).strip(" .,;:")
    vague = _VAGUE.get(phrase.removesuffix(" of"))
    if vague is not None:
        return Estimate.between(*vague)
    for words, hedge in _HEDGES:
        for word in words:
            if phrase.startswith(word + " "):
                number = _number(phrase[len(word) + 1 :])
                if number is not None:
                    return Estimate(*_hedged(hedge, number))
    number = _number(phrase)
    if number is not None:
        return Estimate.exact(number)
    span = _RANGE.fullmatch(phrase)
    if span:
        first, last = _number(span[1]), _number(span[2])
        if first is not None and last is not None and first <= last:
            return Estimate.between(first, last)
    raise ValidationError(
        f"cannot read {text!r} as a count: expected a number ('30', 'fifteen', 'seven million'), "
        "a hedged number ('almost 30', 'at least 8', 'more than 100', 'about 50'), "
        "a range ('20 to 30', '20-30'), a vague word ('several', 'dozens of', "
        "'hundreds of thousands') or a count (1200)"
    )


def to_estimate(value: Estimate | int | str | None) -> Estimate | None:
    """An estimate from a whole number or a hedged phrase; anything else for the validator."""
    if type(value) is Estimate:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Estimate.exact(value)
    if isinstance(value, str):
        try:
            return parse_estimate(value)
        except ValidationError:
            return cast(Estimate, value)
    return cast("Estimate | None", value)


def estimate_field(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: an :class:`Estimate` or ``None``; an unreadable phrase is refused with why."""
    if value is None or type(value) is Estimate:
        return
    if isinstance(value, str):
        try:
            parse_estimate(value)
        except ValidationError as error:
            fail(owner, attribute, str(error))
    if value is not None and not isinstance(value, Estimate):
        fail(owner, attribute, f"expected an Estimate, a count or a phrase, got {describe(value)}")
