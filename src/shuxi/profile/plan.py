"""Cleaning plans: a JSON list of steps, validated with pydantic, proposed from a profile.

A plan names columns, not positions, so it can be reused on next month's file; each step can be switched
off with ``"enabled": false``. :mod:`shuxi.profile.cleaning` turns a plan into one SQL query over the source.

>>> plan = propose_plan(ds.profile())
>>> plan.save("plan.json"); CleaningPlan.load("plan.json")
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shuxi.errors import PlanError

if TYPE_CHECKING:
    from shuxi.data.dataset import Dataset
    from shuxi.profile.profiler import Profile

PLAN_VERSION = 1


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Switch a step off without deleting it.
    enabled: bool = True
    #: Why the step was proposed (for people; ignored when applied).
    why: str = ""


class _ColumnStep(_Step):
    column: str = Field(min_length=1)


class TidyText(_ColumnStep):
    """Trim spaces, turn runs of white space into one space and full-width letters and digits into ASCII ("ＨＤ " → "HD")."""

    op: Literal["tidy_text"] = "tidy_text"


class NullifyMissing(_ColumnStep):
    """Turn empty cells, white space and placeholders ("N/A", "-", "无"…) into NULL."""

    op: Literal["nullify_missing"] = "nullify_missing"
    placeholders: list[str] = Field(default_factory=list, description="Extra texts to treat as missing.")


class UnifyCategories(_ColumnStep):
    """Replace variants of a category by one spelling; keys are compared after tidying ("华东区" → "华东")."""

    op: Literal["unify_categories"] = "unify_categories"
    mapping: dict[str, str]

    @field_validator("mapping")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("mapping must name at least one variant and the spelling to use instead")
        return value


class ParseNumber(_ColumnStep):
    """Read text such as "100元", "$1,200", "12.5%" or "3.5万" as a number; the unit goes into the output's metadata."""

    op: Literal["parse_number"] = "parse_number"
    unit: str | None = None
    currency: str | None = None
    percent: bool = False


class ParseDate(_ColumnStep):
    """Read text dates ("2024年1月2日") as dates, with strptime formats tried in order."""

    op: Literal["parse_date"] = "parse_date"
    formats: list[str] = Field(default_factory=list)
    timestamp: bool = False


class DropDuplicates(_Step):
    """Keep one copy of rows that are identical after cleaning."""

    op: Literal["drop_duplicates"] = "drop_duplicates"


class FlagOutliers(_ColumnStep):
    """Add a boolean column ``<column>__outlier``: true where the value is below ``low`` or above ``high``."""

    op: Literal["flag_outliers"] = "flag_outliers"
    low: float | None = None
    high: float | None = None


class Impute(_ColumnStep):
    """Fill missing values with the column's median, mean or most common value, or a constant."""

    op: Literal["impute"] = "impute"
    strategy: Literal["median", "mean", "mode", "constant"] = "median"
    value: float | int | str | None = None


Step = Annotated[Union[TidyText, NullifyMissing, UnifyCategories, ParseNumber, ParseDate, DropDuplicates, FlagOutliers, Impute],
                 Field(discriminator="op")]
COLUMN_OPS = ("tidy_text", "nullify_missing", "unify_categories", "parse_number", "parse_date", "flag_outliers", "impute")


class CleaningPlan(BaseModel):
    """An ordered list of cleaning steps for one table (JSON on disk, see :meth:`load` and :meth:`save`)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = PLAN_VERSION
    #: The table the plan was proposed for (informational: a plan applies to any table with its columns).
    table: str = ""
    steps: list[Step] = Field(default_factory=list)

    @property
    def enabled_steps(self) -> list[Any]:
        return [s for s in self.steps if s.enabled]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the plan as JSON (atomically: a half-written plan never has the final name)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.to_json() + "\n")
            os.replace(partial, target)
        finally:
            Path(partial).unlink(missing_ok=True)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CleaningPlan:
        """Read a plan file; a missing file, bad JSON or an invalid step raises :class:`PlanError` naming the problem."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PlanError(f"Plan file {str(source)!r} does not exist.",
                            hint="Save one first with `shuxi clean DATA --save-plan plan.json`.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise PlanError(f"Plan file {str(source)!r} cannot be read: {error}.") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise PlanError(f"Plan file {str(source)!r} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
                            hint="Fix the JSON, or save a fresh plan with --save-plan.") from None
        return cls.parse(data, origin=str(source))

    @classmethod
    def parse(cls, data: Any, *, origin: str = "the plan") -> CleaningPlan:
        """Validate a plan given as a dict (or JSON text)."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as error:
                raise PlanError(f"{origin} is not valid JSON: {error.msg}.") from None
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise PlanError(f"{origin} is not a valid cleaning plan: {_describe(error, data)}",
                            hint="Each step needs an \"op\" (" + ", ".join(sorted({*COLUMN_OPS, 'drop_duplicates'})) + ") and, "
                                 "except drop_duplicates, a \"column\".") from None

    def check_columns(self, columns: list[str]) -> None:
        """Raise :class:`ColumnNotFoundError` for the first enabled step whose column the table does not have."""
        from shuxi.errors import ColumnNotFoundError

        for step in self.enabled_steps:
            column = getattr(step, "column", None)
            if column is not None and column not in columns:
                raise ColumnNotFoundError(column, table=self.table or None, available=columns)


def _describe(error: ValidationError, data: Any) -> str:
    parts = []
    for problem in error.errors()[:3]:
        where = problem["loc"]
        label = []
        for i, part in enumerate(where):
            if part == "steps" and i + 1 < len(where) and isinstance(where[i + 1], int):
                index = where[i + 1]
                op = None
                if isinstance(data, dict) and isinstance(data.get("steps"), list) and index < len(data["steps"]):
                    step = data["steps"][index]
                    op = step.get("op") if isinstance(step, dict) else None
                label.append(f"step {index + 1}" + (f" ({op})" if op else ""))
            elif isinstance(part, str) and part != "steps" and part not in COLUMN_OPS and part != "drop_duplicates":
                label.append(part)
        message = problem["msg"]
        if problem["type"] == "union_tag_invalid":
            message = "unknown op " + repr(problem.get("input", {}).get("op") if isinstance(problem.get("input"), dict) else None)
        parts.append((" ".join(label) + ": " if label else "") + message)
    return "; ".join(parts) + "."


# -- proposing a plan from a profile -----------------------------------------------------------------


def propose_plan(prof: Profile, *, ds: Dataset | None = None) -> CleaningPlan:
    """The cleaning steps the profile's alerts call for (imputation is proposed switched off)."""
    from shuxi.profile.semantic import category_key, tidy_text

    steps: list[Any] = []
    for col in prof.columns:
        codes = {a.code for a in prof.alerts_for(col.name)}
        raw_text = col.raw_type in ("string", "large_string", "string_view")
        conversion = ds.conversions.get(col.name) if ds is not None else None
        if raw_text and col.conversion is None and col.physical_type == "text":
            strings = [v for v, _ in col.top_values if isinstance(v, str)]
            untidy = (col.padded or 0) > 0 or any(tidy_text(v) != v for v in strings) or any(tidy_text(v) != v for g in col.variants for v, _ in g)
            if untidy:
                steps.append(TidyText(column=col.name, why=f"cells with spaces around them ({col.padded or 0:,}) or full-width characters"))
            if set(col.missing_by_kind) - {"null"}:
                steps.append(NullifyMissing(column=col.name, why="missing cells written as " + ", ".join(k for k in col.missing_by_kind if k != "null")))
            if col.variants:
                mapping: dict[str, str] = {}
                for cluster in col.variants:
                    keep = tidy_text(cluster[0][0])
                    for value, _ in cluster[1:]:
                        tidied = tidy_text(value)
                        if tidied != keep and category_key(tidied) == category_key(keep):
                            mapping[tidied] = keep
                if mapping:
                    steps.append(UnifyCategories(column=col.name, mapping=mapping,
                                                 why=f"{len(col.variants)} categories spelled several ways (DIRTY_CATEGORY)"))
        if conversion is not None and conversion.kind in ("integer", "number", "percent"):
            unit = re.search(r"unit (\S+)", conversion.detail)
            currency = re.search(r"currency (\S+)", conversion.detail)
            steps.append(ParseNumber(column=col.name, unit=unit.group(1).rstrip(",") if unit else None,
                                     currency=currency.group(1).rstrip(",") if currency else None, percent=conversion.kind == "percent",
                                     why=f"numbers stored as text ({conversion.detail})"))
        elif conversion is not None and conversion.kind in ("date", "timestamp"):
            formats = re.findall(r"%[^,]+", conversion.detail.split(" ", 1)[1]) if " " in conversion.detail else []
            steps.append(ParseDate(column=col.name, formats=[f.strip() for f in formats], timestamp=conversion.kind == "timestamp",
                                   why=f"dates stored as text ({conversion.detail})"))
        elif "UNITS_IN_NUMBERS" in codes or "NUMBERS_AS_TEXT" in codes:
            steps.append(ParseNumber(column=col.name, why="numbers stored as text; cells that do not read become NULL (see the preview)"))
        if "OUTLIERS" in codes and col.outliers:
            low, high = col.outliers["far_fences"]
            steps.append(FlagOutliers(column=col.name, low=low, high=high, why=f"{col.outliers['far']:,} values beyond 3×IQR (kept, flagged)"))
        if col.missing and col.semantic_type in ("number", "money", "percent"):
            steps.append(Impute(column=col.name, strategy="median", enabled=False,
                                why=f"{col.missing:,} missing values; switch on to fill them with the median"))
    if prof.duplicate_rows:
        steps.append(DropDuplicates(why=f"{prof.duplicate_rows:,} rows repeat another row exactly"))
    return CleaningPlan(table=prof.table, steps=steps)
