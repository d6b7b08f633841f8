"""The statistics of the outcome figures, in plain functions with no database: Wilson score
intervals for shares, and Newcombe's interval for the change in a share between two waves
answered by the same people. The evidence report uses them too (evidence.stats)."""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float | None = None
    high: float | None = None


def wilson(successes: int, n: int, z: float = Z95) -> Estimate:
    """The share ``successes / n`` with its Wilson score interval."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half))


def _wilson_limits(successes: int, n: int) -> tuple[float, float]:
    estimate = wilson(successes, n)
    return float(estimate.low or 0.0), float(1.0 if estimate.high is None else estimate.high)


def paired_difference(both: int, first_only: int, second_only: int, neither: int) -> Estimate:
    """The change in a share between two waves answered by the same people, second minus first,
    with Newcombe's hybrid score interval for paired data (method 10 of Newcombe 1998,
    "Improved confidence intervals for the difference between binomial proportions based on
    paired data", Stat Med 17:2635-2650): the two waves' Wilson intervals, combined with the
    correlation between the answers (corrected as the paper says) so that people who answered
    the same way both times narrow the interval.

    ``both`` said yes at both waves, ``first_only`` at the first only, ``second_only`` at the
    second only, ``neither`` at neither."""
    n = both + first_only + second_only + neither
    if n <= 0:
        raise ValueError("n must be positive")
    first, second = both + first_only, both + second_only
    p1, p2 = first / n, second / n
    (l1, u1), (l2, u2) = _wilson_limits(first, n), _wilson_limits(second, n)
    product = first * (n - first) * second * (n - second)
    cross = both * neither - first_only * second_only
    if product == 0:
        phi = 0.0
    elif cross > n / 2:
        phi = (cross - n / 2) / math.sqrt(product)
    elif cross >= 0:
        phi = 0.0
    else:
        phi = cross / math.sqrt(product)
    # Newcombe's limits for first minus second, then turned round for second minus first.
    d1, e1 = p1 - l1, u1 - p1
    d2, e2 = p2 - l2, u2 - p2
    theta = p1 - p2
    low = theta - math.sqrt(max(0.0, d1 * d1 - 2 * phi * d1 * e2 + e2 * e2))
    high = theta + math.sqrt(max(0.0, d2 * d2 - 2 * phi * d2 * e1 + e1 * e1))
    return Estimate(-theta, max(-1.0, -high), min(1.0, -low))
