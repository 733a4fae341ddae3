"""core.formatting.round_scale: a slider inside a range computed from data, on round numbers."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, given, strategies as st

from core.formatting import Scale, exact, round_scale


def _decimals(x: float) -> int:
    return max(0, -Decimal(exact(x)).normalize().as_tuple().exponent)


def test_the_article_datas_ranges_get_round_ends_and_steps():
    # normal.grid_around for the article's data: μ from 42.79311435829709 to 61.7968856417029,
    # σ from 0.25 σ̂ to 3 σ̂ (σ̂ = 3.1674...)
    assert round_scale(42.79311435829709, 61.7968856417029) == Scale(42.8, 61.7, 0.1, "%.1f")
    assert round_scale(0.7918485, 9.5021818) == Scale(0.8, 9.5, 0.05, "%.2f")
    assert round_scale(0.0, 100.0) == Scale(0.0, 100.0, 0.5, "%.1f") and round_scale(0, 2000, 10).format == "%.0f"
    assert round_scale(0.000075, 0.00086) == Scale(0.000075, 0.00086, 0.000005, "%.6f")


def test_tiny_and_huge_values_are_shown_in_powers_of_ten_a_browser_can_print():
    assert round_scale(1.5e-99, 3e-99) == Scale(1.5e-99, 3e-99, 1e-101, "%.2e")      # 1.50e-99 ... 3.00e-99
    assert round_scale(-1e-300, 1e-300).format == "%.2e" and round_scale(0.0, 1e-99).format == "%.3e"
    assert round_scale(1e15, 1e15 + 1e3).format == "%.0f"


@given(st.floats(-1e15, 1e15), st.floats(1e-300, 1e15), st.integers(5, 400))
def test_the_step_is_round_and_the_ends_its_multiples_just_inside_the_range(lo, width, steps):
    hi = lo + width
    assume(hi > lo and (hi - lo) / steps > 0)
    low, high, step, shown = round_scale(lo, hi, steps)
    assert Decimal(exact(step)).normalize().as_tuple().digits in {(1,), (2,), (5,)}   # 1, 2 or 5 times 10^k
    assert (hi - lo) / steps <= step <= 2.5 * (hi - lo) / steps * (1 + 1e-9)   # the smallest such step
    d = lambda x: Decimal(repr(float(x)))  # noqa: E731  (exact: a float sum could round onto an end)
    assert d(lo) <= d(low) < d(high) <= d(hi)
    assert not any(end == 0 and math.copysign(1, end) < 0 for end in (low, high))   # never -0
    if step > 1e-9 * max(abs(lo), abs(hi)):   # where a float resolves the step: on its lattice, as typed
        assert d(low) - d(step) < d(lo) and d(hi) < d(high) + d(step)
        for end in (low, high):
            assert (Decimal(exact(end)) / Decimal(exact(step))) % 1 == 0
            assert _decimals(end) <= _decimals(step)
        # The format tells a value from its neighbour on the lattice, and reads back within half a step.
        assert shown % low != shown % (low + step) and abs(float(shown % low) - low) <= step / 2
    digits = int(shown[2:-1])
    assert 0 <= digits <= 100 and shown[-1] in "fe"            # a browser's printf takes 0 to 100 digits


@pytest.mark.parametrize("lo, hi, steps", [(1.0, 1.0, 200), (2.0, 1.0, 200), (0.0, float("inf"), 200),
                                           (float("nan"), 1.0, 200), (0.0, 1.0, 4)])
def test_an_empty_or_endless_range_is_refused(lo, hi, steps):
    with pytest.raises(ValueError):
        round_scale(lo, hi, steps)
