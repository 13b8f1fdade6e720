"""Row-order and two-row questions: first/last, next/previous, how many more, the difference, which is greater.

The tables are small league tables whose file order is neither alphabetical nor sorted by any column, so an
answer that comes out right can only have used the order of the file. Expected values are read off the rows
written below, by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

import shuxi
from shuxi.ask.rows import describe
from shuxi.errors import PlanError
from shuxi.plan.compile import compile_plan
from shuxi.plan.ir import ROW, Arithmetic, Calculation, ColumnRef, Filter, Measure, Order, Plan, RowAnchor, Value

# File order: Eagles, Tigers, Bears, Sharks, Lions (alphabetical would be Bears, Eagles, Lions, Sharks, Tigers).
LEAGUE = """team,city,wins,losses,points
Eagles,Chengdu,7,9,25
Tigers,Shanghai,12,4,40
Bears,Wuhan,10,6,33
Sharks,Xiamen,3,13,12
Lions,Beijing,10,6,35
"""
LEAGUE_ZH = """球队,城市,胜场,负场,积分
飞鹰,成都,7,9,25
猛虎,上海,12,4,40
棕熊,武汉,10,6,33
鲨鱼,厦门,3,13,12
雄狮,北京,10,6,35
"""


@pytest.fixture(scope="module")
def league(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("rows")
    (folder / "league.csv").write_text(LEAGUE, encoding="utf-8")
    ds = shuxi.open(str(folder / "league.csv"))
    yield ds
    ds.close()


@pytest.fixture(scope="module")
def league_zh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("rows_zh")
    (folder / "league_zh.csv").write_text(LEAGUE_ZH, encoding="utf-8")
    ds = shuxi.open(str(folder / "league_zh.csv"))
    yield ds
    ds.close()


def first_column(answer: Any) -> list[Any]:
    return [int(v) if hasattr(v, "as_tuple") else v for v in answer.table.column(0).to_pylist()]


# -- first / last ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("Which team is listed first?", ["Eagles"]),
    ("Which team is in the last row?", ["Lions"]),
    ("What city is last on the list?", ["Beijing"]),
    ("who came in last?", ["Lions"]),
    ("How many points did the first team have?", [25]),
    ("What are the first 2 teams?", ["Eagles", "Tigers"]),
])
def test_first_and_last_rows_follow_the_file(league: Any, question: str, expected: list[Any]) -> None:
    answer = league.ask(question)
    assert answer.plan.kind == "lookup"
    assert answer.plan.order[0].by == ROW
    assert first_column(answer) == expected
    assert answer.values == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("表格最后一行是哪个球队", ["雄狮"]),
    ("排在第一位的是哪个球队", ["飞鹰"]),
    ("最后一行的城市是哪个", ["北京"]),
])
def test_first_and_last_rows_in_chinese(league_zh: Any, question: str, expected: list[Any]) -> None:
    answer = league_zh.ask(question)
    assert answer.plan.order[0].by == ROW
    assert answer.values == expected


def test_first_row_among_the_rows_a_question_selects(league: Any) -> None:
    answer = league.ask("Which team with fewer than 8 losses is listed first?")
    assert answer.values == ["Tigers"]  # Tigers, Bears and Lions lost fewer than 8; Tigers come first in the file
    assert answer.plan.filters == [Filter(column="losses", op="<", value=8)]


# -- next / previous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected", "offset"), [
    ("Which team comes right after Tigers?", ["Bears"], 1),
    ("Which team is listed just before Sharks?", ["Bears"], -1),
    ("who is listed before Tigers", ["Eagles"], -1),
    ("What city comes after Bears?", ["Xiamen"], 1),
    ("Which team comes after Lions?", [], 1),  # Lions are the last row: there is no next one
])
def test_next_and_previous_rows(league: Any, question: str, expected: list[Any], offset: int) -> None:
    answer = league.ask(question)
    assert answer.plan.anchor is not None and answer.plan.anchor.offset == offset
    assert first_column(answer) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("猛虎的下一名是哪个球队", ["棕熊"]),
    ("鲨鱼的上一名是哪个球队", ["棕熊"]),
    ("飞鹰之后是哪个球队", ["猛虎"]),
])
def test_next_and_previous_rows_in_chinese(league_zh: Any, question: str, expected: list[Any]) -> None:
    answer = league_zh.ask(question)
    assert answer.plan.anchor is not None
    assert first_column(answer) == expected


# -- how many more, the difference ------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("How many more wins did Tigers have than Eagles?", 5),
    ("How many more wins did Eagles have than Tigers?", -5),
    ("How many fewer points did Sharks score than Lions?", 23),
    ("What is the difference in points between Sharks and Lions?", 23),
    ("What is the difference in points between Lions and Sharks?", 23),
])
def test_differences_are_computed_in_sql(league: Any, question: str, expected: int) -> None:
    answer = league.ask(question)
    assert answer.plan.kind == "calculate"
    assert first_column(answer) == [expected]
    assert "CASE WHEN" in answer.sql  # one query computes both rows' values and their difference


@pytest.mark.parametrize(("question", "expected"), [
    ("猛虎比飞鹰多几场胜场", 5),
    ("雄狮比鲨鱼多多少积分", 23),
    ("鲨鱼比雄狮少多少积分", 23),
    ("棕熊和雄狮的积分相差多少", 2),
])
def test_differences_in_chinese(league_zh: Any, question: str, expected: int) -> None:
    answer = league_zh.ask(question)
    assert answer.plan.kind == "calculate"
    assert first_column(answer) == [expected]


def test_difference_sentence_reads_its_numbers_from_the_result(league: Any, league_zh: Any) -> None:
    answer = league.ask("How many more wins did Tigers have than Eagles?")
    assert describe(answer.plan, answer.table) == "Tigers has 5 more wins than Eagles (12 vs 7)."
    answer = league.ask("How many more wins did Eagles have than Tigers?")
    assert describe(answer.plan, answer.table) == "Eagles has 5 less wins than Tigers (7 vs 12)."
    zh = league_zh.ask("棕熊和雄狮的积分相差多少")
    text = describe(zh.plan, zh.table)
    assert "相差2" in text and "33" in text and "35" in text, text


# -- which is greater ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("Who had more wins, Bears or Tigers?", ["Tigers"]),
    ("Which team scored fewer points, Lions or Bears?", ["Bears"]),
    ("did Sharks or Eagles have more losses?", ["Sharks"]),
])
def test_which_of_two_rows_is_greater(league: Any, question: str, expected: list[Any]) -> None:
    answer = league.ask(question)
    assert answer.plan.kind == "lookup" and answer.plan.limit == 1
    assert answer.values == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("猛虎和雄狮谁的积分高", ["猛虎"]),
    ("飞鹰和鲨鱼谁的负场多", ["鲨鱼"]),
])
def test_which_of_two_rows_is_greater_in_chinese(league_zh: Any, question: str, expected: list[Any]) -> None:
    assert league_zh.ask(question).values == expected


def test_higher_rank_means_the_smaller_number(tmp_path: Path) -> None:
    path = tmp_path / "ranking.csv"
    path.write_text("rank,player\n3,Ana\n1,Bo\n2,Cy\n", encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert ds.ask("Who had the higher rank, Ana or Cy?").values == ["Cy"]


# -- summary rows ------------------------------------------------------------------------------------------------

# WikiTableQuestions-style: the last row sums the others.
MEDALS_WITH_TOTAL = """rank,nation,gold,silver,bronze,total
1,Norway,5,3,2,10
2,Chile,2,4,1,7
3,Peru,1,0,3,4
,Total,8,7,6,21
"""


@pytest.fixture(scope="module")
def medals_total(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("rows_total") / "medals_total.csv"
    path.write_text(MEDALS_WITH_TOTAL, encoding="utf-8")
    ds = shuxi.open(str(path))
    yield ds
    ds.close()


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the total number of bronze medals?", [6]),  # not 12: the Total row is not counted twice
    ("Which nation is listed last?", ["Peru"]),
    ("How many gold medals did Chile win?", [2]),
    ("what nation is ranked after Norway?", ["Chile"]),
    ("Which nation comes after Peru?", []),  # the Total row is not a nation
])
def test_summary_rows_are_not_rows_of_the_table(medals_total: Any, question: str, expected: list[Any]) -> None:
    answer = medals_total.ask(question)
    assert first_column(answer) == expected, answer.sql


def test_a_summary_row_can_still_be_asked_for(medals_total: Any) -> None:
    assert medals_total.ask("How many silver medals did Total have?").values == [7]


def test_columns_that_number_rows_are_counted_not_summed(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text("game,opponent,points\n1,Ajax,10\n2,Benfica,7\n3,Celtic,12\n", encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert ds.ask("How many games were played?").values == [3]
        assert first_column(ds.ask("How many points were scored in total?")) == [29]


# -- questions that are not about row order stay with the other rules -------------------------------------------


@pytest.mark.parametrize("question", [
    "Which team has the most wins?",
    "How many teams have more than 8 wins?",
    "What is the average points?",
])
def test_other_questions_are_left_alone(league: Any, question: str) -> None:
    answer = league.ask(question)
    assert answer.plan.anchor is None and answer.plan.kind != "calculate"
    assert all(o.by != ROW for o in answer.plan.order)


# -- the plan features themselves ---------------------------------------------------------------------------------


def test_row_positions_keep_file_order_in_a_parquet_of_many_row_groups(tmp_path: Path) -> None:
    n = 120_000
    ids = [(i * 7919) % n for i in range(n)]  # a permutation: file order is not the order of any column
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"id": ids, "label": [f"r{i}" for i in ids]}), path, row_group_size=10_000)
    with shuxi.open(str(path)) as ds:
        plan = Plan(kind="lookup", table=ds.name, select=[ROW, "id"], order=[Order(by=ROW, desc=True)], limit=3)
        rows = ds.engine.execute(compile_plan(plan, schema=ds.schema)).to_pylist()
        assert rows == [{ROW: n - k, "id": ids[n - k - 1]} for k in range(3)]
        anchor = Plan(kind="lookup", table=ds.name, select=["id"],
                      anchor=RowAnchor(where=[Filter(column="label", op="=", value=f"r{ids[93_456]}")], offset=-1))
        assert ds.engine.execute(compile_plan(anchor, schema=ds.schema)).column(0).to_pylist() == [ids[93_455]]


def test_plan_validation_names_the_problem() -> None:
    where = [Filter(column="team", op="=", value="Lions")]
    with pytest.raises(ValidationError, match="offset 0"):
        RowAnchor(where=where, offset=0)
    with pytest.raises(ValidationError):
        RowAnchor(where=[], offset=1)
    with pytest.raises(ValidationError, match="needs columns to select"):
        Plan(kind="aggregate", table="t", measures=[Measure(agg="count")], anchor=RowAnchor(where=where, offset=1))
    with pytest.raises(ValidationError, match="not a measure"):
        Plan(kind="calculate", table="t", measures=[Measure(agg="sum", column="wins")],
             calculations=[Calculation(name="d", expr=ColumnRef(name="wins"))])
    with pytest.raises(ValidationError, match="calculations combine measures"):
        Plan(kind="lookup", table="t", select=["team"], calculations=[Calculation(name="d", expr=Value(value=1))])
    with pytest.raises(ValidationError, match="unique"):
        Plan(kind="calculate", table="t", measures=[Measure(agg="sum", column="wins", where=where),
                                                    Measure(agg="sum", column="wins")])


def test_compile_errors_are_plan_errors() -> None:
    schema = pa.schema([("_row", pa.int64()), ("team", pa.string()), ("wins", pa.int64())])
    with pytest.raises(PlanError, match="column named '_row'"):
        compile_plan(Plan(kind="lookup", table="t", select=["team"], order=[Order(by=ROW)], limit=1), schema=schema)
    # A plan that does not use row positions compiles on that table.
    assert "_row" not in compile_plan(Plan(kind="lookup", table="t", select=["team"]), schema=schema).sql()
    measure = Measure(agg="sum", column="wins", alias="w")
    bad = Plan(kind="calculate", table="t", measures=[measure],
               calculations=[Calculation(name="d", expr=Arithmetic(op="-", left=ColumnRef(name="w"),
                                                                   right=Value(value="x")))])
    with pytest.raises(PlanError, match="need numbers"):
        compile_plan(bad, schema=schema)


def test_json_round_trip_keeps_the_new_fields() -> None:
    plan = Plan(kind="calculate", table="t", language="zh",
                measures=[Measure(agg="sum", column="积分", where=[Filter(column="球队", op="=", value="猛虎")], alias="a"),
                          Measure(agg="count", where=[Filter(column="球队", op="!=", value="猛虎")], alias="b")],
                calculations=[Calculation(name="差值", expr=Arithmetic(op="-", left=ColumnRef(name="a"),
                                                                      right=ColumnRef(name="b")), absolute=True)])
    assert Plan.from_json(plan.to_json()) == plan
    lookup = Plan(kind="lookup", table="t", select=["球队"], anchor=RowAnchor(where=[
        Filter(column="球队", op="=", value="猛虎")], offset=-2))
    assert Plan.from_json(lookup.to_json()) == lookup


# Films listed newest first, so the table's own order and time disagree; one year column.
FILMS = """title,year,role
Night Train,2004,Lead
River Song,1999,Guest
Old Harbour,1987,Lead
Paper Moon,1993,Lead
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("What was the first year she had a lead role?", [1987]),    # Lead rows: 2004, 1987, 1993 → earliest 1987
    ("In what year was her last film?", [2004]),
    ("What was the last year she had a lead role?", [2004]),
    ("Which film was the first to have a lead role?", ["Old Harbour"]),  # earliest Lead row, not the first listed
    ("Which title is listed first?", ["Night Train"]),           # "listed": the table's own order
    ("Which title is listed last?", ["Paper Moon"]),
])
def test_first_and_last_in_time_read_the_year_column(tmp_path: Path, question: str, expected: list[Any]) -> None:
    (tmp_path / "films.csv").write_text(FILMS, encoding="utf-8")
    with shuxi.open(str(tmp_path / "films.csv")) as ds:
        assert ds.ask(question).values == expected


# A track list: "song" only resembles the Songwriters column; the question asks for a title.
TRACKS = """#,Title,Songwriters,Time
1,Funk Mode,P. Chapman,3:41
2,Grand Groove,K. Def,4:02
3,Stay Around,R. Bell,3:15
4,Hot Thing,G. Brown,4:20
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("what song was previous to hot thing?", ["Stay Around"]),         # row 3, the Title column of the anchor
    ("which song came before grand groove on the album?", ["Funk Mode"]),
    ("which songwriters wrote the song after funk mode?", ["K. Def"]),  # a column named by its name
    ("what was the time of the song after stay around?", ["4:20"]),    # "what was the time": row 4's Time
    ("what is the name of the song listed before hot thing?", ["Stay Around"]),  # "name of": the song itself
])
def test_the_row_next_to_a_named_one_answers_in_the_anchor_column(tmp_path: Path, question: str,
                                                                  expected: list[Any]) -> None:
    (tmp_path / "tracks.csv").write_text(TRACKS, encoding="utf-8")
    with shuxi.open(str(tmp_path / "tracks.csv")) as ds:
        assert ds.ask(question).values == expected


# A coach's seasons and a temple list: the one number column only numbers or dates the rows, so "the number of"
# / "how many more" between two named cells counts each one's rows.
SEASONS = """Season,Head Coach,Record
1930,Marty Brill,5-3
1931,Marty Brill,6-2
1932,Tom Conley,4-4
1933,Marty Brill,7-1
1934,Tom Conley,3-5
1935,Marty Brill,6-3
"""
TEMPLES = """No.,Temple,City
1,Ryozenji,Imabari
2,Gokurakuji,Matsuyama
3,Konsenji,Imabari
4,Dainichiji,Imabari
5,Jizoji,Saijo
6,Anrakuji,Imabari
7,Jurakuji,Matsuyama
"""
GOALS = """Games,Player,Club
30,Ann Lee,Reds
12,Bo Chan,Blues
"""


@pytest.mark.parametrize(("table", "question", "expected"), [
    # Brill: 1930, 1931, 1933, 1935 (4 rows); Conley: 1932, 1934 (2 rows)
    (SEASONS, "how many more seasons was marty brill head coach compared to tom conley?", [2]),
    (SEASONS, "how many fewer seasons did tom conley coach than marty brill?", [2]),
    # Imabari: Nos. 1, 3, 4, 6 (4 rows); Matsuyama: Nos. 2, 7 (2 rows) — not the sums of No. (14 and 9)
    (TEMPLES, "what is the difference in the number of temples between imabari and matsuyama?", [2]),
    (TEMPLES, "what is the difference in the number of temples between matsuyama and imabari?", [2]),
    # a named amount column is still compared: 30 - 12
    (GOALS, "how many more games did ann lee play than bo chan?", [18]),
])
def test_the_number_of_rows_of_two_named_cells_is_compared(tmp_path: Path, table: str, question: str,
                                                          expected: list[Any]) -> None:
    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    with shuxi.open(str(tmp_path / "t.csv")) as ds:
        assert ds.ask(question).values == expected


# Flag bearers listed newest first (the table's order runs against time), and bridges whose year column is
# named by a verb ("built"): first and last mean first and last in time.
BEARERS = """Year,Event,Flag bearer
2012,Summer,Nino Salukvadze
2008,Summer,Ramaz Nozadze
2004,Summer,Zurab Dzhidzhishvili
2000,Summer,Giorgi Asanidze
"""
BRIDGES = """Name,Built,County
Elm Creek Bridge,1910,Lee
Pearl River Bridge,1936,Pike
Old Mill Bridge,1898,Lee
"""


def _by_year(text: str, year: str, name: str, *, last: bool) -> str:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    pick = max if last else min
    return pick(rows, key=lambda r: int(r[year]))[name]


@pytest.mark.parametrize(("table", "question", "expected"), [
    (BEARERS, "who was the first flag bearer?", _by_year(BEARERS, "Year", "Flag bearer", last=False)),
    (BEARERS, "who was the last flag bearer?", _by_year(BEARERS, "Year", "Flag bearer", last=True)),
    (BRIDGES, "what was the last bridge built?", _by_year(BRIDGES, "Built", "Name", last=True)),
    (BRIDGES, "what was the first bridge built?", _by_year(BRIDGES, "Built", "Name", last=False)),
    (BEARERS, "what is the last year listed?", 2000),    # "listed" and "year": the year cell of the last row
])
def test_first_and_last_follow_time_when_the_table_does_not(tmp_path: Path, table: str, question: str,
                                                            expected: Any) -> None:
    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    with shuxi.open(str(tmp_path / "t.csv")) as ds:
        assert ds.ask(question).values == [expected]


# A club's seasons (text seasons, in order) and a race's winners listed newest first (number years with a gap).
CLUB = """Season,Division,Place
1990/91,Preferente,4th
1991/92,Preferente,18th
1992/93,Preferente,1st
1993/94,Tercera,7th
"""
RACE = """Year,Winner,Jockey
2008,Big Brown,Kent Desormeaux
2007,War Pass,Cornelio Velasquez
2006,Street Sense,Calvin Borel
2004,Afleet Alex,Jeremy Rose
"""


def _row_after(text: str, key: str, value: str, column: str, step: int) -> str:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    at = next(i for i, r in enumerate(rows) if r[key] == value)
    return rows[at + step][column]


@pytest.mark.parametrize(("table", "question", "expected"), [
    # the row before 1992/93 in the table's order
    (CLUB, "the team placed 1st in 1992/93. how did they place the previous year?",
     _row_after(CLUB, "Season", "1992/93", "Place", -1)),
    (CLUB, "they finished 18th in 1991/92. how did they finish the next season?",
     _row_after(CLUB, "Season", "1991/92", "Place", 1)),
    # number years listed newest first: the previous year is the nearest earlier year, whatever the order
    (RACE, "war pass won in 2007. who won the previous year?", "Street Sense"),
    (RACE, "street sense won in 2006. who won the next year?", "War Pass"),
    (RACE, "street sense won in 2006. who won the year before?", "Afleet Alex"),   # no 2005 row: 2004
])
def test_the_year_before_or_after_a_described_row(tmp_path: Path, table: str, question: str, expected: str) -> None:
    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    with shuxi.open(str(tmp_path / "t.csv")) as ds:
        assert ds.ask(question).values == [expected]


# A schedule: the anchor row is described by a few words between "after"/"before" and its cell.
GAMES = """Date,Opponent,Venue,Result
Sep 3,Plymouth Albion,Home,W 21-3
Sep 10,Bristol,Away,L 7-10
Sep 17,Faroe Islands,Home,W 30-0
Sep 24,Estonia,Away,W 12-6
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("what game was played before the one against faroe islands?", ["Bristol"]),           # row 2, before row 3
    ("who was the opponent in the game after the game against bristol?", ["Faroe Islands"]),
    ("what was the result of the match after the match against estonia?", []),              # the last row: none after
])
def test_the_anchor_row_may_be_described_before_its_cell(tmp_path: Path, question: str, expected: list[Any]) -> None:
    (tmp_path / "games.csv").write_text(GAMES, encoding="utf-8")
    with shuxi.open(str(tmp_path / "games.csv")) as ds:
        assert ds.ask(question).values == expected
