"""Charts for answers: Vega-Lite specs chosen by analysis kind (:mod:`shuxi.viz.charts`) and offline PNG/SVG
rendering with Chinese fonts (:mod:`shuxi.viz.render`). vl-convert loads only when a chart is drawn."""

from __future__ import annotations

from shuxi.viz.charts import chart_for
from shuxi.viz.render import save_chart

__all__ = ["chart_for", "save_chart"]
