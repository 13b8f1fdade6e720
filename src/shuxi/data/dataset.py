"""``Dataset``: one opened table, queried through an engine."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shuxi.config import Settings
from shuxi.data.infer import Conversion
from shuxi.data.source import field_notes, polarity_of

if TYPE_CHECKING:
    from shuxi.ask.answer import Answer
    from shuxi.data.source import Source
    from shuxi.engines.base import Engine
    from shuxi.plan.ir import Plan

RAW_SUFFIX = "__raw"


class Dataset:
    """A table opened with :func:`shuxi.open`.

    >>> ds = shuxi.open("sales.parquet")
    >>> ds.name
    'sales'
    >>> ds.sql("SELECT region, sum(revenue) FROM sales GROUP BY 1")

    ``ds.name`` is the table SQL uses; ``ds.raw_name`` (``<name>__raw``) is the same table before
    type conversion, so original cell text such as "¥3.5万" stays reachable. Use as a context manager
    or call :meth:`close` to release the engine.
    """

    def __init__(
        self,
        *,
        name: str,
        source: Source,
        engine: Engine,
        settings: Settings,
        conversions: list[Conversion],
        synonyms: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.raw_name = name + RAW_SUFFIX
        self.source = source
        self.engine = engine
        self.settings = settings
        self.conversions = {c.column: c for c in conversions}
        self.synonyms = dict(synonyms or {})
        self._schema: pa.Schema | None = None
        self._raw_schema: pa.Schema | None = None

    # -- what the table looks like --------------------------------------------------------------

    @property
    def schema(self) -> pa.Schema:
        """Column names and the types shuxi inferred; converted fields carry metadata saying from what, and the
        notes the source file carries for shuxi (:data:`shuxi.data.source.CARRIED_FIELD_KEYS`) are kept."""
        if self._schema is None:
            schema = self.engine.schema(self.name)
            notes = field_notes(self.source)
            fields = []
            for field in schema:
                metadata = dict(notes.get(field.name, {}))
                conversion = self.conversions.get(field.name)
                if conversion is not None:
                    metadata |= {"shuxi.converted_from": "text", "shuxi.kind": conversion.kind,
                                 "shuxi.detail": conversion.detail}
                if metadata:
                    field = field.with_metadata(metadata)
                fields.append(field)
            metadata = {"shuxi.table": self.name, "shuxi.source": self.source.origin}
            if self.source.encoding:
                metadata["shuxi.encoding"] = self.source.encoding
            self._schema = pa.schema(fields, metadata=metadata)
        return self._schema

    @property
    def raw_schema(self) -> pa.Schema:
        """The schema before shuxi's type conversions (as the engine read the source)."""
        if self._raw_schema is None:
            self._raw_schema = self.engine.schema(self.raw_name)
        return self._raw_schema

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    def describe_schema(self) -> list[dict[str, Any]]:
        """One JSON-friendly dict per column: name, type, what shuxi converted it from, and for a label column
        written by ``shuxi text predict`` which value is the negative sentiment (``sentiment``)."""
        rows = []
        for field in self.schema:
            row: dict[str, Any] = {"name": field.name, "type": str(field.type)}
            conversion = self.conversions.get(field.name)
            if conversion is not None:
                row["converted_from"] = str(self.raw_schema.field(field.name).type)
                row["kind"] = conversion.kind
                row["detail"] = conversion.detail
                row["raw"] = f"{self.raw_name}.{field.name}"
            polarity = polarity_of(field)
            if polarity is not None:  # a label column written by `shuxi text predict`
                row["sentiment"] = polarity
            rows.append(row)
        return rows

    # -- querying ------------------------------------------------------------------------------

    def sql(self, query: str, *, limit: int | None = None) -> pa.Table:
        """Run one read-only SELECT over this dataset (``ds.name``, or ``ds.raw_name`` for the raw text).

        The SQL is checked by the guard first: unsafe statements raise
        :class:`~shuxi.errors.UnsafeSQLError`, unknown columns :class:`~shuxi.errors.ColumnNotFoundError`
        with close matches. At most ``limit`` rows come back (the row-limit setting by default).
        """
        from shuxi.plan.guard import guard_sql

        checked = guard_sql(query, tables=self._tables(), dialect=self.engine.dialect)
        return self.engine.execute(checked, limit=limit)

    def compile(self, plan: Plan, *, pretty: bool = False) -> str:
        """The SQL a Plan compiles to in this dataset's engine dialect."""
        from shuxi.plan.compile import compile_plan

        return self.engine.render(compile_plan(plan, schema=self.schema), pretty=pretty)

    def run(self, plan: Plan, *, limit: int | None = None) -> pa.Table:
        """Compile ``plan`` for this dataset's engine and run it."""
        from shuxi.plan.compile import compile_plan

        return self.engine.execute(compile_plan(plan, schema=self.schema), limit=limit)

    def ask(self, question: str, *, planner: str = "builtin", llm: Any = None) -> Answer:
        """Answer a question in Chinese or English about this table.

        The question becomes a Plan (``answer.plan``), compiled to SQL (``answer.sql``) and run; the text is
        written from the result (``answer.table``) in the question's language, with the statistics behind it
        (``answer.stats``) and a Vega-Lite chart where one helps. Questions that cannot be understood, or that
        name a column the table lacks, raise :class:`~shuxi.errors.PlanError` with suggestions.

        >>> ds.ask("哪个地区的销售额最高").values
        ['华东']
        """
        from shuxi.ask.answering import ask

        return ask(self, question, planner=planner, llm=llm)  # planner="llm"|"both" with llm=shuxi.LLM(...)

    # -- profile and clean (shuxi.profile) -------------------------------------------------------

    def profile(self, **options: Any) -> Any:
        """A data-quality :class:`~shuxi.profile.Profile` of this table, computed in the engine (see ``shuxi.profile.profile``)."""
        from shuxi.profile import profile

        return profile(self, **options)

    def clean(self, **options: Any) -> Any:
        """A :class:`~shuxi.profile.Cleaning`: a proposed or given plan, its preview and SQL, ``write(path)`` (see ``shuxi.profile.cleaning``)."""
        from shuxi.profile import clean

        return clean(self, **options)

    def _tables(self) -> dict[str, list[str]]:
        return {self.name: list(self.schema.names), self.raw_name: list(self.raw_schema.names)}

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        cols = ", ".join(f"{f.name}: {f.type}" for f in list(self.schema)[:8])
        more = ", …" if len(self.schema) > 8 else ""
        return f"<shuxi.Dataset {self.name!r} ({self.source.origin}) on {self.engine.name}: {cols}{more}>"

    def to_json(self) -> str:
        return json.dumps({"name": self.name, "source": self.source.origin, "columns": self.describe_schema()}, ensure_ascii=False)
