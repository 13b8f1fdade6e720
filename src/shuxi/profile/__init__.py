"""Profile and clean: data-quality profiles computed in the engine, and reproducible cleaning plans.

>>> ds = shuxi.open("sales.csv")
>>> report = ds.profile()          # Profile: columns, alerts, to_json(), to_html()
>>> cleaning = ds.clean()          # Cleaning: the proposed plan, its preview, its SQL, write()

The names load lazily, so ``shuxi.profile.cli`` (imported by the command line) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shuxi.profile.alerts import Alert
    from shuxi.profile.cleaning import Cleaning, StepPreview, clean
    from shuxi.profile.plan import CleaningPlan, propose_plan
    from shuxi.profile.profiler import ColumnProfile, Profile, profile

_WHERE = {
    "Alert": "alerts", "Cleaning": "cleaning", "StepPreview": "cleaning", "clean": "cleaning", "CleaningPlan": "plan",
    "propose_plan": "plan", "ColumnProfile": "profiler", "Profile": "profiler", "profile": "profiler",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"shuxi.profile.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'shuxi.profile' has no attribute {name!r}")
