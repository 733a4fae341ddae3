"""core.formatting.round_scale: a slider inside a range computed from data, on round numbers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from core.formatting import Scale, exact, round_scale


def _decimals(x: float) -> int:
    return max(0, -Decimal(exact(x)).normalize().as_tuple().exponent)


def test_the_article_datas_ranges_get_round_ends_and_steps():
    # normal.grid_around for the article's data: μ from 42.79311435829709 to 61.7968856417029,
    # σ from 0.25 σ̂ to 3 σ̂ (σ̂ = 3.1674...)
    assert round_scale(42.79311435829709, 61.7968856417029) == Scale(42.8, 61.7, 0.1, "%.1f")
    assert round_scale(0.7918485, 9.5021818) == Scale(0.8, 9.5, 0.05, "%.2f")
    assert round_scale(0.0, 100.0) == Scale(0.0, 100.0, 0.5, "%.1f") and round_scale(0, 2000, 10).format == "%.0f"


@given(st.floats(-1e5, 1e5), st.floats(1e-3, 1e5), st.integers(5, 400))
def test_the_step_is_round_and_the_ends_its_multiples_just_inside_the_range(lo, width, steps):
    hi = lo + width
    low, high, step, shown = round_scale(lo, hi, steps)
    assert Decimal(exact(step)).normalize().as_tuple().digits in {(1,), (2,), (5,)}   # 1, 2 or 5 times 10^k
    assert (hi - lo) / steps <= step < 2.5 * (hi - lo) / steps        # the smallest such step
    d = lambda x: Decimal(repr(float(x)))  # noqa: E731  (exact: a float sum could round onto an end)
    assert d(low) - d(step) < d(lo) <= d(low) and d(high) <= d(hi) < d(high) + d(step) and low < high
    for end in (low, high):                                          # on the step's lattice, as typed
        assert (Decimal(exact(end)) / Decimal(exact(step))) % 1 == 0
        assert _decimals(end) <= _decimals(step)
    assert shown == f"%.{_decimals(step)}f"


@given(st.floats(1e-6, 1e4), st.floats(1.01, 50))
def test_a_positive_range_keeps_a_positive_low_end(lo, ratio):
    assert round_scale(lo, lo * ratio).low > 0      # a σ slider never reaches 0


@pytest.mark.parametrize("lo, hi, steps", [(1.0, 1.0, 200), (2.0, 1.0, 200), (0.0, float("inf"), 200),
                                           (float("nan"), 1.0, 200), (0.0, 1.0, 4)])
def test_an_empty_or_endless_range_is_refused(lo, hi, steps):
    with pytest.raises(ValueError):
        round_scale(lo, hi, steps)
