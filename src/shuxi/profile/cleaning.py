"""Applying a cleaning plan: one SQL query over the raw table, a preview of what each step changes, a new file.

The plan compiles to a SELECT over the dataset's raw table (``<name>__raw``), so nothing is ever written to
the source: the cleaned rows stream from the engine into a new Parquet file, written to a temporary name and
renamed when complete. Per column the steps apply in a fixed order: tidy → missing → categories → parse →
impute; outlier flags become new columns, and dropping duplicates makes the query SELECT DISTINCT.

>>> cleaning = ds.clean()                 # plan proposed from the profile
>>> cleaning.preview()                    # per step: rows changed, before → after examples
>>> cleaning.write("clean.parquet")
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from shuxi.errors import DataError, PlanError
from shuxi.profile.plan import CleaningPlan, DropDuplicates, FlagOutliers, Impute, NullifyMissing, ParseDate, ParseNumber, TidyText, UnifyCategories
from shuxi.profile.semantic import PLACEHOLDERS

if TYPE_CHECKING:
    import pyarrow as pa

    from shuxi.data.dataset import Dataset

#: Rows the preview's examples are read from (the counts cover the whole table).
EXAMPLE_ROWS = 200_000
EXAMPLES = 3
_OUTLIER_SUFFIX = "__outlier"
_FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\u00a0\t\r\n"
_HALF_WIDTH = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + "    \n"
_ORDER = {TidyText: 0, NullifyMissing: 1, UnifyCategories: 2, ParseNumber: 3, ParseDate: 3, Impute: 4}


def _str(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _literal(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    return _str(str(value))


def tidy_expression(text: exp.Expression) -> exp.Expression:
    """SQL for :func:`shuxi.profile.semantic.tidy_text`: full-width → ASCII, white space runs → one space, trimmed."""
    folded = exp.Translate(this=text, from_=_str(_FULL_WIDTH), to=_str(_HALF_WIDTH))
    collapsed = exp.RegexpReplace(this=folded, expression=_str("[ \n]+"), replacement=_str(" "), modifiers=_str("g"))
    return exp.Trim(this=collapsed)


def _missing_expression(text: exp.Expression, extra: list[str]) -> exp.Expression:
    trimmed = exp.Lower(this=exp.Trim(this=exp.Translate(this=text.copy(), from_=_str("\u3000\u00a0\t\r\n"), to=_str("     "))))
    values = [_str(v) for v in ("", *PLACEHOLDERS, *(e.lower() for e in extra))]
    return exp.Case().when(exp.In(this=trimmed, expressions=values), exp.Null()).else_(text)


def _number_expression(text: exp.Expression, step: ParseNumber) -> exp.Expression:
    """A lenient number reading for columns shuxi did not convert: cells that do not read become NULL."""
    digits = text
    for part in [step.unit, step.currency, ",", " ", "%" if step.percent else None]:
        if part:
            digits = exp.Replace(this=digits, expression=_str(part), replacement=_str(""))
    if not step.unit and not step.currency:
        # Strip any leading currency sign and trailing unit word: "$1,200" → "1200", "100元" → "100".
        digits = exp.RegexpReplace(this=digits, expression=_str(r"^[^0-9+\-.]+|[^0-9.]+$"), replacement=_str(""), modifiers=_str("g"))
    number = exp.TryCast(this=digits, to=exp.DataType.build("DOUBLE"))
    return exp.Div(this=number, expression=exp.Literal.number(100)) if step.percent else number


def _date_expression(text: exp.Expression, step: ParseDate) -> exp.Expression:
    if not step.formats:
        return exp.TryCast(this=text, to=exp.DataType.build("TIMESTAMP" if step.timestamp else "DATE"))
    parts = [exp.StrToTime(this=text.copy(), format=_str(f), safe=True) for f in step.formats]
    value = parts[0] if len(parts) == 1 else exp.Coalesce(this=parts[0], expressions=parts[1:])
    return value if step.timestamp else exp.Cast(this=value, to=exp.DataType.build("DATE"))


def _replace_column(expression: exp.Expression, column: str, replacement: exp.Expression) -> exp.Expression:
    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.name == column and not node.table:
            return replacement.copy()
        return node

    return expression.copy().transform(swap)


@dataclass
class StepPreview:
    """What one step does to the table: rows changed, cells lost (became NULL), before → after examples."""

    index: int
    op: str
    column: str | None
    why: str
    changed: int
    #: Present cells that the step turns into NULL (a parse that does not read them).
    lost: int = 0
    examples: list[tuple[Any, Any]] = field(default_factory=list)
    #: For impute: the value filled in.
    fill: Any = None

    def to_dict(self) -> dict[str, Any]:
        from shuxi.render import json_value

        return json_value({"step": self.index, "op": self.op, "column": self.column, "why": self.why, "changed": self.changed,
                           "lost": self.lost, "examples": [list(e) for e in self.examples], "fill": self.fill})


class Cleaning:
    """A cleaning plan bound to a dataset: its SQL, a preview of each step, and :meth:`write`."""

    def __init__(self, ds: Dataset, plan: CleaningPlan) -> None:
        self.ds = ds
        self.plan = plan
        plan.check_columns(list(ds.raw_schema.names))
        self._fills: dict[int, Any] = {}

    # -- SQL -----------------------------------------------------------------------------------------

    def _stages(self) -> tuple[dict[str, exp.Expression], list[tuple[int, Any, exp.Expression | None, exp.Expression]]]:
        """The final expression per column and, per enabled column step, (index, step, before, after)."""
        ds = self.ds
        current: dict[str, exp.Expression] = {n: exp.column(n, quoted=True) for n in ds.raw_schema.names}
        tidied: set[str] = set()
        trace: list[tuple[int, Any, exp.Expression | None, exp.Expression]] = []
        indexed = [(i, s) for i, s in enumerate(self.plan.steps, start=1) if s.enabled and type(s) in _ORDER]
        for i, step in sorted(indexed, key=lambda item: (_ORDER[type(item[1])], item[0])):
            before = current[step.column]
            if isinstance(step, TidyText):
                after = tidy_expression(before.copy())
                tidied.add(step.column)
            elif isinstance(step, NullifyMissing):
                after = _missing_expression(before.copy(), step.placeholders)
            elif isinstance(step, UnifyCategories):
                key = before.copy() if step.column in tidied else tidy_expression(before.copy())
                case = exp.Case()
                for variant, keep in step.mapping.items():
                    case = case.when(exp.EQ(this=key.copy(), expression=_str(variant)), _str(keep))
                after = case.else_(before.copy())
            elif isinstance(step, (ParseNumber, ParseDate)):
                after = self._parse(step, before)
            else:  # Impute
                after = exp.Coalesce(this=before.copy(), expressions=[_literal(self._fill(i, step, before))])
            current[step.column] = after
            trace.append((i, step, before, after))
        return current, trace

    def _parse(self, step: ParseNumber | ParseDate, text: exp.Expression) -> exp.Expression:
        conversion = self.ds.conversions.get(step.column)
        wanted = ("integer", "number", "percent") if isinstance(step, ParseNumber) else ("date", "timestamp")
        if conversion is not None and conversion.kind in wanted:
            # shuxi's own reading of this column (verified on every cell at open), applied to the cleaned text.
            return _replace_column(conversion.expression, step.column, text)
        if isinstance(step, ParseNumber):
            return _number_expression(text.copy(), step)
        return _date_expression(text.copy(), step)

    def _fill(self, index: int, step: Impute, before: exp.Expression) -> Any:
        if index in self._fills:
            return self._fills[index]
        if step.strategy == "constant":
            if step.value is None:
                raise PlanError(f"Step {index} (impute {step.column!r}) has strategy \"constant\" but no \"value\".",
                                hint='Add "value": … to the step, or use strategy "median", "mean" or "mode".')
            value = step.value
        else:
            source = exp.select(exp.alias_(before.copy(), "x", quoted=True)).from_(self._raw()).subquery("filled")
            x = exp.column("x", quoted=True)
            if step.strategy == "mode":
                query = (exp.select(x).from_(source).where(exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())))
                         .group_by(x.copy()).order_by(exp.Ordered(this=exp.Count(this=exp.Star()), desc=True)).limit(1))
            else:
                agg = exp.Avg(this=x.copy()) if step.strategy == "mean" else exp.ApproxQuantile(this=x.copy(), quantile=exp.Literal.number(0.5))
                query = exp.select(exp.alias_(agg, "x", quoted=True)).from_(source)
            try:
                rows = self.ds.engine.execute(query, limit=1).column("x").to_pylist()
            except Exception as error:  # noqa: BLE001 - an engine error here means the column is not numeric
                raise PlanError(f"Step {index} cannot compute the {step.strategy} of {step.column!r}: {error}",
                                hint="Impute text columns with strategy \"mode\" or \"constant\".") from None
            value = rows[0] if rows else None
        self._fills[index] = value
        return value

    def _raw(self) -> exp.Table:
        return exp.Table(this=exp.to_identifier(self.ds.raw_name, quoted=True))

    def query(self) -> exp.Select:
        """The cleaning as one SELECT over the raw table."""
        current, _ = self._stages()
        projections: list[exp.Expression] = [exp.alias_(e, n, quoted=True) for n, e in current.items()]
        for step in self.plan.enabled_steps:
            if isinstance(step, FlagOutliers):
                value = current[step.column]
                conditions = []
                if step.low is not None:
                    conditions.append(exp.LT(this=value.copy(), expression=exp.Literal.number(step.low)))
                if step.high is not None:
                    conditions.append(exp.GT(this=value.copy(), expression=exp.Literal.number(step.high)))
                flag = exp.Coalesce(this=exp.paren(exp.or_(*conditions)), expressions=[exp.false()]) if conditions else exp.false()
                projections.append(exp.alias_(flag, step.column + _OUTLIER_SUFFIX, quoted=True))
        query = exp.select(*projections).from_(self._raw())
        if any(isinstance(s, DropDuplicates) for s in self.plan.enabled_steps):
            query = query.distinct()
        return query

    @property
    def sql(self) -> str:
        """The cleaning query in the engine's dialect, formatted for people."""
        return self.ds.engine.render(self.query(), pretty=True)

    # -- preview ---------------------------------------------------------------------------------------

    def preview(self) -> list[StepPreview]:
        """Per enabled step: rows it changes on the whole table, cells it loses, and before → after examples."""
        _, trace = self._stages()
        out: list[StepPreview] = []
        aggs: dict[str, exp.Expression] = {"rows": exp.Count(this=exp.Star())}
        examples: dict[str, exp.Expression] = {}
        for i, step, before, after in trace:
            b = exp.Cast(this=before.copy(), to=exp.DataType.build("VARCHAR")) if before is not None else exp.Null()
            a = exp.Cast(this=after.copy(), to=exp.DataType.build("VARCHAR"))
            changed = exp.Not(this=exp.NullSafeEQ(this=b.copy(), expression=a.copy()))
            aggs[f"{i}:changed"] = exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=changed.copy()))
            aggs[f"{i}:lost"] = exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(
                this=exp.and_(exp.Not(this=exp.Is(this=before.copy(), expression=exp.Null())), exp.Is(this=after.copy(), expression=exp.Null()))))
            pair = exp.Array(expressions=[exp.Coalesce(this=b.copy(), expressions=[_str("NULL")]), exp.Coalesce(this=a.copy(), expressions=[_str("NULL")])])
            collected = exp.Filter(this=exp.ArrayAgg(this=exp.Distinct(expressions=[pair])), expression=exp.Where(this=changed.copy()))
            examples[f"{i}:examples"] = exp.ArraySlice(this=collected, start=exp.Literal.number(1), end=exp.Literal.number(EXAMPLES), is_length=False)
        stats = self._aggregate(self._raw(), aggs)
        first = exp.select("*").from_(self._raw()).limit(EXAMPLE_ROWS).subquery("first_rows")
        found = self._aggregate(first, examples) if examples else {}
        for i, step, _, _ in trace:
            out.append(StepPreview(index=i, op=step.op, column=step.column, why=step.why, changed=int(stats[f"{i}:changed"] or 0),
                                   lost=int(stats[f"{i}:lost"] or 0) if step.op != "nullify_missing" else 0,
                                   examples=[tuple(e) for e in (found.get(f"{i}:examples") or [])],
                                   fill=self._fills.get(i)))
        rows = int(stats["rows"])
        for i, step in enumerate(self.plan.steps, start=1):
            if not step.enabled:
                continue
            if isinstance(step, FlagOutliers):
                out.append(self._outlier_preview(i, step))
            elif isinstance(step, DropDuplicates):
                distinct = self.ds.engine.execute(exp.select(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True))
                                                  .from_(self.query().subquery("cleaned")), limit=1).column("n")[0].as_py()
                out.append(StepPreview(index=i, op=step.op, column=None, why=step.why, changed=rows - int(distinct)))
        return sorted(out, key=lambda p: p.index)

    def _outlier_preview(self, index: int, step: FlagOutliers) -> StepPreview:
        query = self.query()
        flag = exp.column(step.column + _OUTLIER_SUFFIX, quoted=True)
        value = exp.column(step.column, quoted=True)
        cleaned = query.subquery("cleaned")
        count = self.ds.engine.execute(exp.select(exp.alias_(exp.Count(this=exp.Star()), "n", quoted=True)).from_(cleaned).where(flag), limit=1)
        shown = self.ds.engine.execute(exp.select(value).from_(query.subquery("cleaned")).where(flag.copy()).limit(EXAMPLES), limit=EXAMPLES)
        return StepPreview(index=index, op=step.op, column=step.column, why=step.why, changed=int(count.column("n")[0].as_py()),
                           examples=[(v, "flagged") for v in shown.column(0).to_pylist()])

    def _aggregate(self, source: exp.Expression, aggregates: dict[str, exp.Expression]) -> dict[str, Any]:
        names = list(aggregates)
        query = exp.select(*(exp.alias_(aggregates[n], f"a{j}", quoted=True) for j, n in enumerate(names))).from_(source)
        row = self.ds.engine.execute(query, limit=1).to_pylist()[0]
        return {n: row[f"a{j}"] for j, n in enumerate(names)}

    # -- writing ---------------------------------------------------------------------------------------

    def write(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the cleaned table to a new Parquet file; the source is never touched.

        Refuses an existing ``path`` unless ``overwrite``, and the source itself always. The file is written
        under a temporary name and renamed when complete, so an error or Ctrl-C leaves nothing half-written.
        """
        import pyarrow.parquet as pq

        target = Path(path).expanduser().resolve()
        if target.suffix.lower() != ".parquet":
            raise DataError(f"{path} must end in .parquet: shuxi writes cleaned tables as Parquet.", path=str(path))
        sources = {Path(p).resolve() for p in self.ds.source.paths} | ({Path(self.ds.source.origin).resolve()}
                                                                           if not self.ds.source.origin.startswith(("<", "Spark")) else set())
        if target in sources:
            raise DataError(f"{path} is the input file; shuxi never overwrites its input.", path=str(path),
                            hint="Write the cleaned table to a new file with --out.")
        if target.exists() and not overwrite:
            raise DataError(f"{path} already exists.", path=str(path), hint="Choose another path, or pass --overwrite (overwrite=True).")
        if not target.parent.is_dir():
            raise DataError(f"The folder {target.parent} does not exist.", path=str(path), hint="Create it first.")
        metadata = self._metadata()
        fd, partial = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".partial", dir=target.parent)
        os.close(fd)
        writer = None
        try:
            for batch in self._batches():
                if writer is None:
                    schema = _with_metadata(batch.schema, metadata)
                    writer = pq.ParquetWriter(partial, schema, compression="zstd")
                writer.write_batch(batch.cast(writer.schema) if batch.schema != writer.schema else batch)
            if writer is None:
                empty = self.ds.engine.execute(self.query(), limit=0)
                writer = pq.ParquetWriter(partial, _with_metadata(empty.schema, metadata), compression="zstd")
            writer.close()
            writer = None
            os.replace(partial, target)
        finally:
            if writer is not None:
                writer.close()
            Path(partial).unlink(missing_ok=True)
        return target

    def _metadata(self) -> dict[str, dict[str, str]]:
        """Per output column: what the plan did to it, its unit, and its source column; and the notes the source
        file carried for shuxi (which label is negative, from ``shuxi text predict``)."""
        from shuxi.data.source import field_notes

        notes: dict[str, dict[str, str]] = {name: dict(found) for name, found in field_notes(self.ds.source).items()}
        for step in self.plan.enabled_steps:
            column = getattr(step, "column", None)
            if column is None:
                continue
            entry = notes.setdefault(column, {})
            entry.setdefault("shuxi.source_column", column)
            entry["shuxi.cleaning"] = ",".join(filter(None, [entry.get("shuxi.cleaning"), step.op]))
            if isinstance(step, ParseNumber):
                conversion = self.ds.conversions.get(column)
                unit = step.unit or (m.group(1).rstrip(",") if conversion and (m := re.search(r"unit (\S+)", conversion.detail)) else None)
                currency = step.currency or (m.group(1).rstrip(",") if conversion and (m := re.search(r"currency (\S+)", conversion.detail)) else None)
                if unit:
                    entry["shuxi.unit"] = unit
                if currency:
                    entry["shuxi.currency"] = currency
                if step.percent:
                    entry["shuxi.percent"] = "fraction (12.5% → 0.125)"
        return notes

    def _batches(self) -> Any:
        """The cleaned rows as Arrow record batches, streamed from the engine (bounded memory)."""
        yield from self.ds.engine.stream(self.query())


def _with_metadata(schema: pa.Schema, notes: dict[str, dict[str, str]]) -> pa.Schema:
    import pyarrow as pa

    fields = [f.with_metadata(notes[f.name]) if f.name in notes else f for f in schema]
    return pa.schema(fields, metadata={"shuxi.cleaned": "true"})


def clean(ds: Dataset, *, plan: CleaningPlan | str | os.PathLike[str] | dict[str, Any] | None = None,
          out: str | os.PathLike[str] | None = None, overwrite: bool = False) -> Cleaning:
    """A :class:`Cleaning` of ``ds``: the given plan (object, dict or JSON file), or one proposed from its profile.

    With ``out`` the cleaned table is written there at once (a new Parquet file; never the input).
    """
    if plan is None:
        from shuxi.profile.plan import propose_plan
        from shuxi.profile.profiler import profile

        chosen = propose_plan(profile(ds), ds=ds)
    elif isinstance(plan, CleaningPlan):
        chosen = plan
    elif isinstance(plan, dict):
        chosen = CleaningPlan.parse(plan)
    else:
        chosen = CleaningPlan.load(plan)
    cleaning = Cleaning(ds, chosen)
    if out is not None:
        cleaning.write(out, overwrite=overwrite)
    return cleaning
