"""The statistics the evidence report uses, in plain functions with no database.

Proportions get Wilson score intervals (sound for small groups and for shares near 0 or 100%);
the change in a share between two waves answered by the same people gets Newcombe's paired
interval built from them.
A reduction between two groups is one minus a ratio, with the interval of the ratio found on
the log scale: the risk ratio for re-offending prevalence (Katz), the rate ratio for incidents
per man (Poisson counts), and the ratio of means for harm per man (the delta method). Where a
ratio has no interval (a group with no incidents, or no spread given), the interval is None and
the report says why.
"""

import math
from collections.abc import Sequence

# The shares and the paired change live with the outcome figures (the women's table needs them
# there); the evidence report uses the same functions.
from outcomes.stats import Z95, Estimate, paired_difference, wilson

__all__ = ["Z95", "Estimate", "paired_difference", "wilson"]


def _reduction(ratio: float, log_se: float | None, z: float = Z95) -> Estimate:
    """1 - ratio, with the interval from the ratio's on the log scale."""
    if log_se is None or ratio <= 0:
        return Estimate(1 - ratio)
    low = ratio * math.exp(-z * log_se)
    high = ratio * math.exp(z * log_se)
    return Estimate(1 - ratio, 1 - high, 1 - low)


def risk_reduction(a: int, n1: int, c: int, n0: int) -> Estimate | None:
    """The relative reduction in the share with at least one incident, group 1 against
    group 0: ``1 - (a/n1) / (c/n0)``. None when group 0 had nobody with an incident."""
    if c == 0 or n1 == 0 or n0 == 0:
        return None
    ratio = (a / n1) / (c / n0)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0) if a else None
    return _reduction(ratio, se)


def rate_reduction(x1: int, n1: int, x0: int, n0: int) -> Estimate | None:
    """The relative reduction in incidents per man: ``1 - (x1/n1) / (x0/n0)``."""
    if x0 == 0 or n1 == 0 or n0 == 0:
        return None
    ratio = (x1 / n1) / (x0 / n0)
    se = math.sqrt(1 / x1 + 1 / x0) if x1 else None
    return _reduction(ratio, se)


def mean_reduction(
    m1: float, sd1: float | None, n1: int, m0: float, sd0: float | None, n0: int
) -> Estimate | None:
    """The relative reduction in mean harm per man: ``1 - m1 / m0``; the interval needs both
    groups' spread (the delta method on the log of the ratio)."""
    if m0 <= 0 or n1 == 0 or n0 == 0:
        return None
    ratio = m1 / m0
    if sd1 is None or sd0 is None or m1 <= 0:
        return Estimate(1 - ratio)
    se = math.sqrt(sd1 * sd1 / (n1 * m1 * m1) + sd0 * sd0 / (n0 * m0 * m0))
    return _reduction(ratio, se)


def mean_and_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """The mean, and the sample standard deviation (None for fewer than two values)."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    return mean, math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
