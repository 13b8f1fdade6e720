"""Statistics that make an answer honest: correlation tests, group comparisons, effect sizes, drivers.

The heavy lifting happens in the engine (SQL returns r and n, or per-group n/mean/variance); the functions
here test those summaries with scipy's distributions and phrase the result in Chinese or English.
"""

from __future__ import annotations

from shuxi.insight.correlation import correlate
from shuxi.insight.distribution import histogram, quantile_summary
from shuxi.insight.drivers import rank_drivers
from shuxi.insight.formatting import format_number, format_p_value, format_percent
from shuxi.insight.stats import (
    Comparison,
    Correlation,
    GroupEffect,
    anova_eta_squared,
    correlation_test,
    describe_group_variance,
    welch_test,
)

__all__ = [
    "Comparison",
    "Correlation",
    "GroupEffect",
    "anova_eta_squared",
    "correlate",
    "correlation_test",
    "describe_group_variance",
    "format_number",
    "format_p_value",
    "format_percent",
    "histogram",
    "quantile_summary",
    "rank_drivers",
    "welch_test",
]
