"""Measure the question patterns of WikiTableQuestions' train split, and how their answers relate to the tables.

The numbers in ``bench/wtq_patterns.md`` come from this script. It reads ``random-split-1-train.tsv`` only (the
dev split is for reporting, never for tuning) with each question's table, and prints

* per pattern (regular expressions over the utterance): its share of train questions, the English triggers it
  keys on, how often each answer relation below holds for its questions, and seeded examples;
* answer relations, checked against the table: the answer is a cell (lookup), a header, the count of rows holding
  a value the question mentions, the number of rows, a cell in the row with the largest/smallest value of a
  numeric column, a cell in the first/last row, a cell in the row next to a mentioned row, the difference of two
  mentioned rows' values in one column, the sum of a column, a yes/no;
* table facts: how numeric-looking cells are written, how often the first column labels the rows, how many
  columns hold dates.

    python bench/wtq_patterns.py [--data ../shared/data/wtq] [--examples 4] [--seed 0]

Tables are read with Python's csv module as the WTQ release writes them (quotes escaped with backslashes).
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# wtq_metric sits beside this script (the script's folder is first on sys.path; the tests load it by path)
from wtq_metric import Example, normalize, parse_date, read_examples

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wtq"

# Ordered: a question is counted under every pattern it matches (the shares overlap); "primary" is the first.
PATTERNS: dict[str, str] = {
    "yes/no (is/was/did/does/are … ?)": r"^(is|was|were|are|did|does|do|has|have|had|can|could|will)\b",
    "how many more/less/fewer … (difference)": r"\bhow (many|much) (more|less|fewer|longer|shorter|higher|lower|"
                                              r"older|younger|bigger|larger|greater|later|earlier|faster)\b",
    "difference between X and Y": r"\bdifference\b|\bmargin\b|\bgap\b",
    "total / sum / combined": r"\b(total|sum|combined|altogether|all together|in all|aggregate)\b",
    "average / mean": r"\b(average|mean|avg)\b",
    "how many … (count)": r"\bhow many\b|\bnumber of\b|\bcount\b",
    "superlative: most/highest/… (arg-max/min)": r"\b(most|least|highest|lowest|largest|smallest|biggest|greatest|"
                                                 r"fewest|longest|shortest|best|worst|top|maximum|minimum|max|min|"
                                                 r"oldest|youngest|newest|earliest|latest|fastest|slowest|"
                                                 r"tallest|heaviest|[a-z]{3,}est)\b",
    "first / last (row order)": r"\b(first|last|final|initial|earliest|latest|1st)\b",
    "next / previous / before / after (neighbour row)": r"\b(next|previous|before|after|following|preceding|"
                                                        r"prior|above|below|succeeded|preceded|then)\b",
    "comparison: more/less/higher … than, X or Y": r"\b(more|less|fewer|higher|lower|larger|smaller|greater|"
                                                   r"better|worse|longer|shorter|older|younger|earlier|later)\b.*"
                                                   r"\bthan\b|\b\w+ or \w+",
    "threshold: at least / more than / over / under N": r"\b(at least|at most|more than|less than|fewer than|"
                                                        r"over|under|above|below|greater than|or more|or less)\b"
                                                        r"[^?]*\d",
    "same / consecutive / in a row": r"\b(same|consecutive|in a row|straight|both|also)\b",
    "which year / when": r"\b(what|which) year\b|\bwhen\b|\byear\b",
    "who …": r"^who\b|\bwho\b",
    "what / which … (lookup)": r"^(what|which|name|list|tell)\b|\bwhat\b|\bwhich\b",
}


# -- tables -----------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One WTQ table: header and rows as raw strings, plus their normalised forms."""

    header: list[str]
    rows: list[list[str]]
    norm_rows: list[list[str]]


@cache
def load_table(path: Path) -> Table:
    """A WTQ CSV (quoted, ``\\"`` inside quotes) as header + rows padded to the header's width."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, escapechar="\\", doublequote=False))
    header, body = rows[0], rows[1:]
    body = [(r + [""] * len(header))[: len(header)] for r in body]
    return Table(header, body, [[normalize(c) for c in row] for row in body])


_LEADING_NUMBER = re.compile(r"^[^\d+\-.]{0,3}([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")


def cell_number(text: str) -> float | None:
    """The leading number of a cell ("7,169" → 7169, "4th, Western" → 4, "$1.2 million" → 1.2), else None."""
    found = _LEADING_NUMBER.match(text.strip())
    return float(found.group(1).replace(",", "")) if found else None


def numeric_columns(table: Table, share: float = 0.8) -> list[int]:
    """Columns where at least ``share`` of the non-empty cells start with a number."""
    out = []
    for j in range(len(table.header)):
        cells = [r[j] for r in table.rows if r[j].strip() not in ("", "-", "—", "–", "n/a", "N/A")]
        if cells and sum(cell_number(c) is not None for c in cells) >= share * len(cells):
            out.append(j)
    return out


# -- answer relations ---------------------------------------------------------------------------------------------


def mentioned_cells(question: str, table: Table) -> list[tuple[int, int]]:
    """(row, column) of cells whose normalised text occurs in the question as whole words (3+ characters)."""
    q = " " + re.sub(r"[^\w\s]", " ", normalize(question)) + " "
    q = re.sub(r"\s+", " ", q)
    hits = []
    for i, row in enumerate(table.norm_rows):
        for j, cell in enumerate(row):
            words = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", cell)).strip()
            if len(words) >= 3 and f" {words} " in q:
                hits.append((i, j))
    return hits


def _target_number(targets: Sequence[str]) -> float | None:
    if len(targets) != 1:
        return None
    text = normalize(targets[0]).replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def relations(ex: Example, table: Table) -> set[str]:
    """The answer relations that hold for this question on its table (see the module docstring)."""
    found: set[str] = set()
    targets = [normalize(t) for t in ex.targets]
    rows = table.norm_rows
    cell_set = {c for row in rows for c in row}
    if all(t in cell_set for t in targets):
        found.add("cell")
    elif all(_target_number([t]) is None and len(t) >= 2 and any(t in c for c in cell_set) for t in targets):
        found.add("part of a cell")  # numbers are left out: "2" is part of too many cells to mean anything
    if all(t in {normalize(h) for h in table.header} for t in targets):
        found.add("header")
    if len(targets) == 1 and targets[0] in ("yes", "no"):
        found.add("yes/no")
    if len(targets) > 1:
        found.add("list answer")

    def rows_with_target(row_ids: Sequence[int]) -> bool:
        return bool(row_ids) and len(targets) == 1 and any(targets[0] in rows[i] for i in row_ids)

    if rows and rows_with_target([0]):
        found.add("first row")
    if rows and rows_with_target([len(rows) - 1]):
        found.add("last row")

    number = _target_number(ex.targets)
    mentions = mentioned_cells(ex.utterance, table)
    mentioned_rows = sorted({i for i, _ in mentions})
    if number is not None:
        if number == len(rows):
            found.add("number of rows")
        for i, j in mentions:
            value = rows[i][j]
            exact = sum(r[j] == value for r in rows)
            containing = sum(value in r[j] for r in rows)
            if number in (exact, containing) and number > 0:
                found.add("count rows with a mentioned value")
                break
        numeric = numeric_columns(table)
        for j in numeric:
            values = [cell_number(r[j]) for r in table.rows]
            present = [v for v in values if v is not None]
            if present and abs(sum(present) - number) < 1e-6 and len(present) > 1:
                found.add("sum of a column")
            linked = [values[i] for i in mentioned_rows if values[i] is not None]
            if len(linked) >= 2 and any(abs(abs(a - b) - number) < 1e-6 and a != b
                                        for k, a in enumerate(linked) for b in linked[k + 1:]):
                found.add("difference of two mentioned rows")
        if len(targets) == 1 and "cell" not in found and not found & {"count rows with a mentioned value",
                                                                      "number of rows", "sum of a column",
                                                                      "difference of two mentioned rows"}:
            found.add("number not in table (other arithmetic)")
    if len(targets) == 1:
        for j in numeric_columns(table):
            values = [cell_number(r[j]) for r in table.rows]
            present = [(v, i) for i, v in enumerate(values) if v is not None]
            if len(present) < 2:
                continue
            top = max(v for v, _ in present)
            bottom = min(v for v, _ in present)
            if rows_with_target([i for v, i in present if v == top and targets[0] not in rows[i][j]]):
                found.add("row with the max of a column")
            if rows_with_target([i for v, i in present if v == bottom and targets[0] not in rows[i][j]]):
                found.add("row with the min of a column")
        neighbours = sorted({k for i in mentioned_rows for k in (i - 1, i + 1) if 0 <= k < len(rows)}
                            - set(mentioned_rows))
        if rows_with_target(neighbours):
            found.add("row next to a mentioned row")
        if rows_with_target(mentioned_rows):
            found.add("same row as a mentioned cell")
    if mentions:
        found.add("question mentions a cell")
    return found


ANSWER_KINDS = [  # an exclusive reading of each question's relations, most specific first
    ("yes/no answer", {"yes/no"}),
    ("several answer items (list)", {"list answer"}),
    ("count of rows holding a mentioned value", {"count rows with a mentioned value"}),
    ("difference of two mentioned rows' values", {"difference of two mentioned rows"}),
    ("number of rows", {"number of rows"}),
    ("sum of a column", {"sum of a column"}),
    ("cell in the same row as a mentioned cell", {"same row as a mentioned cell"}),
    ("cell in the row next to a mentioned row", {"row next to a mentioned row"}),
    ("cell in the row with a column's max/min", {"row with the max of a column", "row with the min of a column"}),
    ("cell in the first/last row", {"first row", "last row"}),
    ("other cell", {"cell"}),
    ("part of a cell", {"part of a cell"}),
    ("a number computed otherwise", {"number not in table (other arithmetic)"}),
]


def answer_kind(found: set[str]) -> str:
    """The first ANSWER_KINDS entry whose relations hold, else "not found in the table"."""
    for kind, needs in ANSWER_KINDS:
        if found & needs:
            return kind
    return "not found in the table"


# -- table facts ----------------------------------------------------------------------------------------------------

CELL_SHAPES: dict[str, str] = {  # first matching shape wins, so the specific ones come first
    "empty or dash (—, -, '')": r"|[-–—]|n/a|N/A",
    "footnote mark ([1], †, *)": r".*(\[[^\]]*\]|[†‡*#])\s*$",
    "duration/time (1:23.45, 2:05)": r"\d+:\d\d([:.]\d+)?",
    "percent (45%)": r"[+-]?\d[\d,.]*\s*%",
    "currency ($1.2 million, £300)": r"[$£€¥]\s*\d.*",
    "score/range (2–1, 1999–2000)": r"\d+\s*[-–—]\s*\d+",
    "plain integer (2004, 54)": r"[+-]?\d+",
    "decimal (3.5)": r"[+-]?\d*\.\d+",
    "thousands separators (7,169)": r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?",
    "full date (January 26, 1995 / 26 January 1995)": r".*",  # checked with parse_date below
    "number then text (4th, Western / 12 km / 2nd)": r"[+-]?\d[\d,.]*\s*[^\d\s].*",
}


def cell_shape(text: str) -> str | None:
    text = text.strip()
    for name, pattern in CELL_SHAPES.items():
        if name.startswith("full date"):
            ymd = parse_date(normalize(text)) if text else None
            if ymd and ymd[1] != -1:
                return name
            continue
        if re.fullmatch(pattern, text):
            return name
    return None


def table_facts(tables: dict[str, Table]) -> list[str]:
    shapes: collections.Counter[str] = collections.Counter()
    cells = 0
    first_label = first_index = first_year = date_tables = 0
    date_cols = cols = rows = 0
    for table in tables.values():
        rows += len(table.rows)
        cols += len(table.header)
        for row in table.rows:
            for c in row:
                cells += 1
                shape = cell_shape(c)
                if shape:
                    shapes[shape] += 1
        first = [r[0].strip() for r in table.rows] if table.header else []
        head = normalize(table.header[0]) if table.header else ""
        small = [int(c.strip(".=T")) for c in first if re.fullmatch(r"T?\d{1,3}\.?=?", c)]
        years = [c for c in first if re.fullmatch(r"(1[6-9]|20)\d\d([-–/]\d{2,4})?", c)]
        if first and (re.search(r"\b(rank|no|pos|position|place|#|rk|pick|n|number)\b|^#|^$", head)
                      or (len(small) >= 0.8 * len(first) and min(small) <= 1)):
            first_index += 1
        elif first and (re.search(r"\b(year|season|date)s?\b", head) or len(years) >= 0.8 * len(first)):
            first_year += 1
        elif first and len(set(first)) == len(first) and sum(cell_number(c) is None for c in first) >= 0.8 * len(first):
            first_label += 1
        has_date = False
        for j in range(len(table.header)):
            column = [r[j] for r in table.rows if r[j].strip()]
            if column and sum(cell_shape(c) == "full date (January 26, 1995 / 26 January 1995)"
                              for c in column) >= 0.5 * len(column):
                date_cols += 1
                has_date = True
        date_tables += has_date
    n = len(tables)
    out = [f"{n} tables, {rows / n:.1f} rows and {cols / n:.1f} columns on average, {cells} cells",
           f"first column is a row index (Rank/No./#/Pos or 1, 2, 3…): {first_index / n:.0%} of tables",
           f"first column is a year/season/date (chronological table): {first_year / n:.0%} of tables",
           f"first column is a unique text label (names, titles): {first_label / n:.0%} of tables",
           f"columns that are mostly full dates: {date_cols} of {cols} ({date_cols / cols:.1%}); tables with one: "
           f"{date_tables / n:.0%}",
           "cell shapes (share of all cells):"]
    for name, count in shapes.most_common():
        out.append(f"  {name:<50} {count / cells:6.1%}")
    header_years = sum(any(re.fullmatch(r"(19|20)\d\d", h.strip()) for h in t.header) for t in tables.values())
    out.append(f"tables with a year as a column header (wide, pivoted layout): {header_years / n:.0%}")
    return out


# -- the report --------------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--examples", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--facts-only", action="store_true", help="print only the table facts")
    args = parser.parse_args(argv)
    examples = read_examples(args.data / "random-split-1-train.tsv")
    if args.facts_only:
        for line in table_facts({ex.context: load_table(args.data / ex.context) for ex in examples}):
            print(line)
        return 0
    rng = random.Random(args.seed)
    compiled = {name: re.compile(p) for name, p in PATTERNS.items()}
    tables = {ex.context: load_table(args.data / ex.context) for ex in examples}
    rels = {ex.id: relations(ex, tables[ex.context]) for ex in examples}
    n = len(examples)
    matched: dict[str, list[Example]] = collections.defaultdict(list)
    primary: collections.Counter[str] = collections.Counter()
    for ex in examples:
        q = ex.utterance.lower()
        names = [name for name, rx in compiled.items() if rx.search(q)]
        for name in names:
            matched[name].append(ex)
        primary[names[0] if names else "(no pattern)"] += 1

    print(f"WikiTableQuestions random-split-1-train: {n} questions, {len(tables)} tables\n")
    print("answer relations over all train questions (overlapping):")
    overall = collections.Counter(r for rs in rels.values() for r in rs)
    for name, count in overall.most_common():
        print(f"  {name:<42} {count:>6} {count / n:6.1%}")
    print("\nanswer kinds (exclusive, first that holds):")
    kinds = collections.Counter(answer_kind(r) for r in rels.values())
    for name, count in kinds.most_common():
        print(f"  {name:<42} {count:>6} {count / n:6.1%}")

    print("\npatterns by share (a question counts under every pattern it matches; 'first' = first matching "
          "pattern in this order):")
    for name, exs in sorted(matched.items(), key=lambda kv: -len(kv[1])):
        print(f"\n## {name}: {len(exs)} ({len(exs) / n:.1%}), first match for {primary[name]} "
              f"({primary[name] / n:.1%})")
        print(f"   regex: {PATTERNS[name]}")
        rel = collections.Counter(r for ex in exs for r in rels[ex.id])
        print("   relations (share here / over all questions): "
              + ", ".join(f"{r} {c / len(exs):.0%}/{overall[r] / n:.0%}" for r, c in rel.most_common(9)))
        kinds_here = collections.Counter(answer_kind(rels[ex.id]) for ex in exs)
        print("   answer kinds: " + ", ".join(f"{k} {c / len(exs):.0%}" for k, c in kinds_here.most_common(6)))
        for ex in rng.sample(exs, min(args.examples, len(exs))):
            table = tables[ex.context]
            print(f"   - {ex.utterance} → {' | '.join(ex.targets)}   [{ex.context}: "
                  f"{', '.join(table.header[:6])}{'…' if len(table.header) > 6 else ''}]")
    print(f"\n(no pattern): {primary['(no pattern)']} ({primary['(no pattern)'] / n:.1%})")
    print("\ntable facts (train tables):")
    for line in table_facts(tables):
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
