"""The statistics of the reports against published worked examples."""

import pytest

from evidence import stats

# Newcombe RG, "Improved confidence intervals for the difference between binomial proportions
# based on paired data", Stat Med 1998;17:2635-2650, Table III, method 10 (the hybrid score
# interval with the corrected correlation), to the four decimals printed there. The paper's
# cells e, f, g, h are: yes at both, yes at the first only, yes at the second only, neither;
# its interval is for first minus second, so ours (second minus first) is the same turned round.
TABLE_III_METHOD_10 = [
    ((36, 12, 2, 0), (0.0569, 0.3404)),
    ((20, 12, 2, 16), (0.0562, 0.3292)),
    ((36, 14, 0, 0), (0.1528, 0.4167)),
]


@pytest.mark.parametrize(("cells", "limits"), TABLE_III_METHOD_10)
def test_the_paired_interval_matches_newcombe_1998_table_iii(cells, limits):
    change = stats.paired_difference(*cells)
    _both, first_only, second_only, _neither = cells
    n = sum(cells)
    assert change.value == pytest.approx((second_only - first_only) / n)
    assert (-change.high, -change.low) == pytest.approx(limits, abs=5e-5)


def test_the_paired_interval_of_the_mirabal_shape_is_inside_the_possible_range():
    # Injured 61 of 100 at baseline, 2 of 100 at exit (the two at exit also injured before).
    change = stats.paired_difference(2, 59, 0, 39)
    assert change.value == pytest.approx(-0.59)
    assert -1 <= change.low < -0.59 < change.high < 0
    assert (round(100 * change.low), round(100 * change.high)) == (-68, -48)


def test_no_change_and_nobody_discordant_gives_an_interval_around_zero():
    change = stats.paired_difference(10, 0, 0, 10)
    assert change.value == 0
    assert change.low < 0 < change.high


def test_an_empty_table_has_no_interval():
    with pytest.raises(ValueError, match="positive"):
        stats.paired_difference(0, 0, 0, 0)
