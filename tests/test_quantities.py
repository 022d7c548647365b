"""Estimates: ordering, interval addition, and the hedged phrases of reports."""

from __future__ import annotations

import functools
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel.testing import estimates

TOO_LARGE = "must be at most 2**63 - 1 = 9223372036854775807, got more"
HUGE_NEGATIVE = "a number below -(2**63 - 1)"


@given(estimates())
def test_generated_estimates_are_ordered(estimate: cm.Estimate) -> None:
    middle = estimate.best_or_low
    floor = 0 if estimate.low is None else estimate.low
    assert 0 <= floor <= middle
    assert estimate.low is not None or estimate.best is not None
    assert estimate.high is None or middle <= estimate.high
    assert estimate.is_open == (estimate.high is None)
    assert floor in estimate
    assert middle in estimate
    assert estimate.has_best == (estimate.best is not None)
    assert estimate.has_floor == (estimate.low is not None)


@given(estimates(), estimates())
def test_addition_is_commutative(a: cm.Estimate, b: cm.Estimate) -> None:
    assert a + b == b + a


@given(estimates(), estimates(), estimates())
def test_addition_is_associative(a: cm.Estimate, b: cm.Estimate, c: cm.Estimate) -> None:
    assert (a + b) + c == a + (b + c)


@given(estimates(), estimates())
def test_a_sum_is_open_when_either_part_is(a: cm.Estimate, b: cm.Estimate) -> None:
    assert (a + b).is_open == (a.is_open or b.is_open)
    if a.low is not None and b.low is not None:
        assert (a + b).low == a.low + b.low


@given(estimates(), estimates())
def test_a_sum_has_no_floor_when_a_part_has_none(a: cm.Estimate, b: cm.Estimate) -> None:
    total = a + b
    assert total.has_floor == (a.has_floor and b.has_floor)


def test_each_sides_best_with_no_range_adds_up_to_a_best_with_no_range() -> None:
    sides = [cm.Estimate.best_only(29), cm.Estimate.best_only(11), cm.Estimate.exact(3)]
    assert cm.total(sides) == cm.Estimate.best_only(43)
    assert str(cm.total(sides)) == "43 (no range stated)"
    neither = cm.total([cm.Estimate.best_only(5), cm.Estimate.between(2, 10)])
    assert (neither.low, neither.best, neither.high, neither.best_or_low) == (None, None, None, 0)
    assert str(neither) == "not stated"
    assert cm.Estimate(None, 5, 9) + cm.Estimate(1, 2, 3) == cm.Estimate(None, 7, 12)


def test_an_estimate_with_neither_low_nor_best_is_refused() -> None:
    with pytest.raises(cm.ValidationError, match="give a low or a best figure"):
        cm.Estimate(None, None, 5)
    with pytest.raises(cm.ValidationError, match="4 is below best 5"):
        cm.Estimate(None, 5, 4)


@given(estimates(), estimates())
def test_a_sums_best_is_unknown_when_either_part_has_none(a: cm.Estimate, b: cm.Estimate) -> None:
    total = a + b
    if a.best is None or b.best is None:
        assert total.best is None or total.low == total.high
    else:
        assert total.best == a.best + b.best


def test_an_unknown_best_prints_as_a_range_and_a_single_number_is_its_own_best() -> None:
    assert str(cm.Estimate.between(12, 100)) == "12 to 100"
    assert str(cm.Estimate.between(12, None)) == "12 or more"
    assert cm.Estimate.between(7, 7) == cm.Estimate.exact(7)
    assert cm.total([cm.Estimate.between(1, 5), cm.Estimate.exact(3)]) == cm.Estimate(4, None, 8)


@given(estimates())
def test_zero_is_neutral(estimate: cm.Estimate) -> None:
    assert estimate + cm.Estimate.zero() == estimate


@given(st.lists(estimates(), max_size=6))
def test_total_is_the_folded_sum(parts: list[cm.Estimate]) -> None:
    assert cm.total(parts) == functools.reduce(operator.add, parts, cm.Estimate.zero())
    assert cm.total(iter(parts)) == cm.total(parts)


@given(st.integers(0, 10**9))
def test_a_printed_number_parses_to_the_exact_estimate(number: int) -> None:
    assert cm.Estimate.parse(str(number)) == cm.Estimate.exact(number)
    assert cm.Estimate.parse(f"{number:,}") == cm.Estimate.exact(number)
    assert cm.Estimate.exact(number).is_exact


@given(estimates())
def test_str_shows_best_and_bounds(estimate: cm.Estimate) -> None:
    text = str(estimate)
    if estimate.low is None and estimate.best is not None:
        end = "no range stated" if estimate.is_open else f"at most {estimate.high}"
        assert text == f"{estimate.best} ({end})"
        return
    if estimate.best is None:
        end = "or more" if estimate.is_open else f"to {estimate.high}"
        assert text == f"{estimate.low} {end}"
        return
    assert text.startswith(str(estimate.best))
    if estimate.is_open:
        assert text.endswith(f"({estimate.low} or more)")
    elif not estimate.is_exact:
        assert text.endswith(f"({estimate.low}–{estimate.high})")


@pytest.mark.parametrize(
    ("phrase", "low", "best", "high"),
    [
        ("30", 30, 30, 30),
        ("1,500", 1500, 1500, 1500),
        ("almost 30", 27, None, 29),
        ("nearly 30", 27, None, 29),
        ("Almost  30.", 27, None, 29),
        ("about 50", 45, 50, 55),
        ("around 50", 45, 50, 55),
        ("at least 8", 8, 8, None),
        ("more than 100", 101, None, None),
        ("over 100", 101, None, None),
        ("up to 40", 0, None, 40),
        ("dozens", 12, None, 99),
        ("hundreds", 100, None, 999),
        ("thousands", 1_000, None, 9_999),
        ("hundreds of thousands", 100_000, None, 999_999),
        ("eight", 8, 8, 8),
        ("fifteen", 15, 15, 15),
        ("seven million", 7_000_000, 7_000_000, 7_000_000),
        ("almost seven million", 6_300_000, None, 6_999_999),
        ("2 million", 2_000_000, 2_000_000, 2_000_000),
        ("1.5 million", 1_500_000, 1_500_000, 1_500_000),
        ("a dozen", 12, 12, 12),
        ("20 to 30", 20, None, 30),
        ("20-30", 20, None, 30),
        ("between 20 and 30", 20, None, 30),
        ("eight to ten", 8, None, 10),
        ("a few", 2, None, 5),
        ("several", 3, None, 9),
        ("many", 10, None, None),
        ("dozens of", 12, None, 99),
        ("scores of", 20, None, 99),
        ("hundreds of thousands of", 100_000, None, 999_999),
        ("1,200", 1_200, 1_200, 1_200),
        ("1.200", 1_200, 1_200, 1_200),
        ("1.200.000", 1_200_000, 1_200_000, 1_200_000),
        ("about 1.200", 1_080, 1_200, 1_320),
        ("1.2 million", 1_200_000, 1_200_000, 1_200_000),
    ],
)
def test_parse_reads_hedged_phrases(
    phrase: str, low: int, best: int | None, high: int | None
) -> None:
    assert cm.Estimate.parse(phrase) == cm.Estimate(low, best, high)


@pytest.mark.parametrize(
    "phrase",
    ["", "lots", "many people", "30-20", "1.5", "1.20", "1,200.5", "-5", "1e400", "almost"],
)
def test_parse_refuses_junk_listing_what_it_reads(phrase: str) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.Estimate.parse(phrase)
    message = str(raised.value)
    assert f"cannot read {phrase!r} as a count" in message
    assert "'almost 30'" in message


@given(st.text(max_size=25))
def test_parse_reads_any_text_or_refuses_it_with_a_validation_error(text: str) -> None:
    message = ""
    try:
        estimate = cm.Estimate.parse(text)
    except cm.ValidationError as error:
        message = str(error)
    if message:
        assert f"cannot read {text!r} as a count" in message
    else:
        assert isinstance(estimate, cm.Estimate)


@pytest.mark.parametrize("value", [None, 3.5, ["30"], True])
def test_parse_refuses_what_is_not_text_or_a_count(value: object) -> None:
    with pytest.raises(cm.ValidationError, match=r"Estimate\.parse expects text or a count"):
        cm.Estimate.parse(value)  # type: ignore[arg-type]


@given(st.integers(0, 10**12))
def test_parse_takes_a_count(number: int) -> None:
    assert cm.Estimate.parse(number) == cm.Estimate.exact(number)


def test_parse_refuses_a_negative_count() -> None:
    with pytest.raises(cm.ValidationError, match=r"^Estimate\.low: must not be negative"):
        cm.Estimate.parse(-3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 3, 8), "Estimate.best: 3 is below low 5"),
        ((1, 5, 3), "Estimate.high: 3 is below best 5"),
        ((-1, 0, 0), "Estimate.low: must not be negative, got -1"),
        ((1.5, 2, 3), "Estimate.low: must be a whole number, got float 1.5"),
        ((float("nan"), 2, 3), "Estimate.low: must be a whole number, got NaN"),
        ((0, 2, float("inf")), "Estimate.high: must be a whole number, got float inf"),
        ((True, 2, 3), "Estimate.low: must be a whole number, got bool True"),
        ((0, "2", 3), "Estimate.best: must be a whole number, got str '2'"),
        ((5, None, 3), "Estimate.high: 3 is below low 5"),
        ((0, 1.5, 3), "Estimate.best: must be a whole number, got float 1.5"),
        ((0, 0, 2**63), f"Estimate.high: {TOO_LARGE}"),
        ((0, 0, 10**5000), f"Estimate.high: {TOO_LARGE}"),
        ((-(10**5000), 0, 0), f"Estimate.low: must not be negative, got {HUGE_NEGATIVE}"),
    ],
)
def test_estimate_refuses_bad_parts(args: tuple[object, object, object], message: str) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.Estimate(*args)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.parametrize("number", [-3, 2.0, False])
def test_exact_refuses_what_is_not_a_count(number: object) -> None:
    with pytest.raises(cm.ValidationError, match=r"^Estimate\.low: "):
        cm.Estimate.exact(number)  # type: ignore[arg-type]


@pytest.mark.parametrize("values", [[1, 2], [cm.Estimate.exact(1), "2"], None, 5])
def test_total_refuses_what_is_not_estimates(values: object) -> None:
    with pytest.raises(cm.ValidationError, match=r"total\(\)"):
        cm.total(values)  # type: ignore[arg-type]


def test_membership() -> None:
    assert 28 in cm.Estimate.parse("almost 30")
    assert 30 not in cm.Estimate.parse("almost 30")
    assert 10**9 in cm.Estimate.parse("at least 8")
    assert True not in cm.Estimate(0, 1, 1)
    assert "1" not in cm.Estimate(0, 1, 1)


def test_the_largest_count_is_a_signed_64_bit_integer_and_sums_stay_exact() -> None:
    largest = cm.Estimate.exact(2**63 - 1)
    assert largest.best == 2**63 - 1
    four = [cm.Estimate.exact(2**62)] * 4
    assert cm.total(four) == functools.reduce(operator.add, four)
    assert cm.total(four).best == 2**64
    assert (largest + largest).high == 2**64 - 2
