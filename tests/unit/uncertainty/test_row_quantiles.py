"""`row_quantiles` must give numpy's own quantiles bit for bit (a zero is always +0.0): it only
sorts where numpy partitions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from estimators.uncertainty.analysis import QUANTILES, row_quantiles

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@settings(max_examples=300, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 60)),
        elements=FLOATS | st.sampled_from([0.0, -0.0, 1.0, 1e308, -1e308]),
    )
)
def test_equals_numpys_quantiles_bit_for_bit_on_any_rows(rows: np.ndarray) -> None:
    with np.errstate(all="ignore"):  # inf − inf in the interpolation, as in numpy's
        expected = np.quantile(rows, QUANTILES, axis=1) + 0.0  # -0.0 → 0.0, as row_quantiles
        got = row_quantiles(rows.copy())
    assert not np.signbit(got[got == 0]).any()
    # NaN payloads may differ in bits; everything else must not.
    nan = np.isnan(expected)
    assert np.array_equal(nan, np.isnan(got))
    assert _same_bits(np.where(nan, 0.0, expected), np.where(nan, 0.0, got))


def test_equals_numpy_on_a_monte_carlo_sized_band_and_leaves_the_input_alone() -> None:
    # 37 month ends × 10,000 draws of cumulative costs: what the bands are computed on.
    rng = np.random.default_rng(7)
    rows = np.cumsum(rng.lognormal(8, 1, size=(37, 10_000)), axis=0)
    before = rows.copy()
    assert _same_bits(row_quantiles(rows), np.quantile(rows, QUANTILES, axis=1))
    assert _same_bits(rows, before)


def test_hand_computed_quantiles_of_one_row() -> None:
    # 0..10: (n − 1) × q = 10 × 0.1 = 1, 10 × 0.5 = 5, 10 × 0.9 = 9, so the values 1, 5 and 9;
    # 0..9: 9 × 0.1 = 0.9 → 0 + 0.9 × (1 − 0) = 0.9; 9 × 0.5 = 4.5 → 4.5; 9 × 0.9 = 8.1 → 8.1.
    got = row_quantiles(np.array([np.arange(11.0)[::-1], np.r_[np.arange(10.0), 100.0]]))
    assert got[:, 0].tolist() == [1.0, 5.0, 9.0]
    assert row_quantiles(np.arange(10.0)[None, :])[:, 0].tolist() == pytest.approx([0.9, 4.5, 8.1])
    assert got[:, 1].tolist() == [1.0, 5.0, 9.0]
