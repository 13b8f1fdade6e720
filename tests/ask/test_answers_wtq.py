"""Answers that are words or need two steps (WikiTableQuestions-style): yes/no and "more or less" answers, rows
sharing a value with a named row ("the same … as"), and the value that occurs most often.

Each table is written out below; every expected answer is worked out by hand from those rows (or with plain
Python over the same rows), never taken from shuxi's own output.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import shuxi
from shuxi.ask.answering import answer_plan
from shuxi.errors import PlanError
from shuxi.plan.compile import compile_plan
from shuxi.plan.dialects import render
from shuxi.plan.ir import Calculation, ColumnRef, Filter, Measure, Plan, SameAs, Value, Verdict

# A medal table in rank order, ending with a summary row.
MEDALS = """Rank,Nation,Gold,Silver,Bronze,Total
1,Germany,5,2,1,8
2,Belarus,3,1,4,8
3,France,3,3,0,6
4,Malaysia,2,1,1,4
5,Ethiopia,3,0,2,5
6,Guam,0,1,5,6
,Total,16,8,13,37
"""
# A season of races: who won each, and which network aired it.
RACES = """Rnd,Race,Winner,TV,Laps
1,Phoenix,Kenny Brack,ABC,200
2,Orlando,Tony Stewart,ESPN,185
3,Charlotte,Kenny Brack,ABC,208
4,Dover,Buzz Calkins,ESPN,200
5,Texas,Kenny Brack,ABC,200
6,Atlanta,Tony Stewart,FS1,220
"""
# An album's tracks and their producers.
TRACKS = """#,Title,Producer(s),Length
1,Intro,Buckwild,1:02
2,Born to Live,Buckwild,4:10
3,Street Life,DJ Premier,3:55
4,Night Ride,Buckwild,4:31
5,Closing,DJ Premier,2:40
"""


def _rows(text: str) -> list[dict[str, str]]:
    return [r for r in csv.DictReader(io.StringIO(text)) if "Total" not in r.values()]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("answers")
    out = {}
    for name, text in {"medals": MEDALS, "races": RACES, "tracks": TRACKS}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        out[name] = shuxi.open(str(folder / f"{name}.csv"))
    yield out
    for ds in out.values():
        ds.close()


def _medal(nation: str, column: str) -> int:
    return next(int(r[column]) for r in _rows(MEDALS) if r["Nation"] == nation)


# -- the same X as Y -------------------------------------------------------------------------------------


def test_rows_with_the_same_value_as_a_named_row_leave_that_row_out(tables: dict[str, Any]) -> None:
    gold = _medal("Belarus", "Gold")
    expected = [r["Nation"] for r in _rows(MEDALS) if int(r["Gold"]) == gold and r["Nation"] != "Belarus"]
    answer = tables["medals"].ask("which nations won the same number of gold medals as belarus?")
    assert list(answer.values) == expected == ["France", "Ethiopia"]
    assert "IN (" in answer.sql  # Belarus's gold is looked up by the query itself


def test_how_many_rows_share_a_named_rows_value(tables: dict[str, Any]) -> None:
    silver = _medal("Guam", "Silver")
    expected = sum(1 for r in _rows(MEDALS) if int(r["Silver"]) == silver and r["Nation"] != "Guam")
    answer = tables["medals"].ask("how many nations have the same number of silver medals as guam?")
    assert list(answer.values) == [expected] == [2]


def test_the_same_value_as_a_row_named_before_same(tables: dict[str, Any]) -> None:
    network = next(r["TV"] for r in _rows(RACES) if r["Race"] == "Dover")
    expected = [r["Race"] for r in _rows(RACES) if r["TV"] == network and r["Race"] != "Dover"]
    answer = tables["races"].ask("dover was aired on the same tv as which other race?")
    assert list(answer.values) == expected == ["Orlando"]


# -- yes/no and the word the question offers -------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("did germany win more gold medals than france?", "yes" if _medal("Germany", "Gold") > _medal("France", "Gold")
     else "no"),
    ("did guam win more gold medals than malaysia?", "yes" if _medal("Guam", "Gold") > _medal("Malaysia", "Gold")
     else "no"),
    ("does guam have a larger amount of bronze medals than belarus?",
     "yes" if _medal("Guam", "Bronze") > _medal("Belarus", "Bronze") else "no"),
    ("did france win fewer silver medals than malaysia?",
     "yes" if _medal("France", "Silver") < _medal("Malaysia", "Silver") else "no"),
])
def test_yes_or_no_compares_two_named_rows(tables: dict[str, Any], question: str, expected: str) -> None:
    answer = tables["medals"].ask(question)
    assert list(answer.values) == [expected]
    assert answer.text.lower().startswith(expected)
    assert "CASE" in answer.sql


def test_the_offered_word_is_the_answer(tables: dict[str, Any]) -> None:
    more = _medal("Ethiopia", "Bronze") > _medal("Malaysia", "Bronze")
    answer = tables["medals"].ask("does ethiopia have more or less bronze medals than malaysia?")
    assert list(answer.values) == ["more" if more else "less"] == ["more"]
    answer = tables["medals"].ask("does malaysia have more or less bronze medals than ethiopia?")
    assert list(answer.values) == ["less"]


def test_a_higher_rank_is_the_smaller_number(tables: dict[str, Any]) -> None:
    # Germany is rank 1, France rank 3: Germany is ranked higher (above) France.
    answer = tables["medals"].ask("does germany have a higher or lower rank than france?")
    assert list(answer.values) == ["higher"]


def test_same_value_yes_or_no(tables: dict[str, Any]) -> None:
    same_total = _medal("Germany", "Total") == _medal("Belarus", "Total")
    answer = tables["medals"].ask("is the total of germany the same as the total of belarus?")
    assert list(answer.values) == ["yes" if same_total else "no"] == ["yes"]
    answer = tables["medals"].ask("is the gold of germany the same as the gold of belarus?")
    assert list(answer.values) == ["no"]


def test_listed_before_compares_places_in_the_table(tables: dict[str, Any]) -> None:
    order = [r["Nation"] for r in _rows(MEDALS)]
    answer = tables["medals"].ask("was germany listed before malaysia?")
    assert list(answer.values) == ["yes" if order.index("Germany") < order.index("Malaysia") else "no"] == ["yes"]
    answer = tables["medals"].ask("is guam listed before france?")
    assert list(answer.values) == ["no"]


def test_named_rows_counted_against_a_number(tables: dict[str, Any]) -> None:
    wins = Counter(r["Winner"] for r in _rows(RACES))
    assert wins["Kenny Brack"] == 3
    answer = tables["races"].ask("did kenny brack win at least 3 races?")
    assert list(answer.values) == ["yes"]
    answer = tables["races"].ask("did tony stewart win more than 2 races?")
    assert list(answer.values) == ["yes" if wins["Tony Stewart"] > 2 else "no"] == ["no"]
    espn = sum(1 for r in _rows(RACES) if r["TV"] == "ESPN")
    answer = tables["races"].ask("were there more or less than 3 races aired on espn?")
    assert list(answer.values) == ["more" if espn > 3 else "less"] == ["less"]


def test_a_named_rows_number_against_a_number(tables: dict[str, Any]) -> None:
    answer = tables["medals"].ask("did germany win at least 5 gold medals?")
    assert list(answer.values) == ["yes" if _medal("Germany", "Gold") >= 5 else "no"] == ["yes"]
    answer = tables["medals"].ask("does france have at least one bronze medal?")
    assert list(answer.values) == ["no"]


def test_an_unclear_comparison_is_not_guessed(tables: dict[str, Any]) -> None:
    # Two number columns could be meant and neither is named: refuse or answer otherwise, never a yes/no guess.
    try:
        answer = tables["races"].ask("did kenny brack have more than tony stewart?")
    except PlanError:
        return
    assert list(answer.values) not in (["yes"], ["no"])


# -- the value that occurs most often --------------------------------------------------------------------


def test_the_most_frequent_value_of_the_column_the_verb_names(tables: dict[str, Any]) -> None:
    winner, _ = Counter(r["Winner"] for r in _rows(RACES)).most_common(1)[0]
    assert list(tables["races"].ask("which racer won the most races?").values) == [winner] == ["Kenny Brack"]
    producer, _ = Counter(r["Producer(s)"] for r in _rows(TRACKS)).most_common(1)[0]
    assert list(tables["tracks"].ask("who produced the most tracks?").values) == [producer] == ["Buckwild"]


def test_the_most_frequent_value_of_a_named_column(tables: dict[str, Any]) -> None:
    network, _ = Counter(r["TV"] for r in _rows(RACES)).most_common(1)[0]
    assert list(tables["races"].ask("which tv aired the most races?").values) == [network] == ["ABC"]


def test_the_most_of_a_number_column_is_still_a_ranking(tables: dict[str, Any]) -> None:
    best = max(_rows(RACES), key=lambda r: int(r["Laps"]))["Race"]
    assert list(tables["races"].ask("which race had the most laps?").values) == [best] == ["Atlanta"]


# -- the plan pieces these answers use -------------------------------------------------------------------


@pytest.fixture()
def small() -> Iterator[Any]:
    ds = shuxi.open(pa.table({"k": ["a", "b", "c", "d"], "x": [3, 1, 3, None], "y": [1, 2, 3, 4]}))
    yield ds
    ds.close()


def test_verdict_is_null_when_a_side_is_missing(small: Any) -> None:
    measures = [Measure(agg="sum", column="x", where=[Filter(column="k", op="=", value="d")], alias="xd"),
                Measure(agg="sum", column="y", where=[Filter(column="k", op="=", value="d")], alias="yd")]
    calc = Calculation(name="answer", expr=Verdict(left=ColumnRef(name="xd"), op=">", right=ColumnRef(name="yd"),
                                                   then="yes", otherwise="no"))
    plan = Plan(kind="calculate", table=small.name, measures=measures, calculations=[calc])
    assert answer_plan(small, "q", plan).values == [None]  # x is missing for d: neither yes nor no
    calc = calc.model_copy(update={"expr": Verdict(left=ColumnRef(name="yd"), op=">=", right=Value(value=4),
                                                   then="yes", otherwise="no")})
    plan = plan.model_copy(update={"calculations": [calc]})
    assert answer_plan(small, "q", plan).values == ["yes"]
    assert Plan.from_json(plan.to_json()) == plan


def test_verdict_takes_no_absolute_value() -> None:
    with pytest.raises(ValueError, match="verdict"):
        Calculation(name="a", absolute=True, expr=Verdict(left=Value(value=1), op="<", right=Value(value=2),
                                                           then="yes", otherwise="no"))


def test_same_as_keeps_rows_sharing_the_value_and_can_include_the_named_row(small: Any) -> None:
    same = SameAs(column="x", where=[Filter(column="k", op="=", value="a")])
    plan = Plan(kind="lookup", table=small.name, select=["k"], same=same)
    assert answer_plan(small, "q", plan).values == ["c"]
    plan = plan.model_copy(update={"same": same.model_copy(update={"include": True})})
    assert answer_plan(small, "q", plan).values == ["a", "c"]
    # A named row whose value is missing shares it with no row.
    plan = plan.model_copy(update={"same": SameAs(column="x", where=[Filter(column="k", op="=", value="d")])})
    assert answer_plan(small, "q", plan).values == []
    assert Plan.from_json(plan.to_json()) == plan


def test_same_as_and_verdict_render_for_spark(small: Any) -> None:
    calc = Calculation(name="answer", expr=Verdict(left=ColumnRef(name="count"), op=">", right=Value(value=1),
                                                   then="more", otherwise="less"))
    plan = Plan(kind="calculate", table=small.name, measures=[Measure(agg="count")], calculations=[calc],
                same=SameAs(column="x", where=[Filter(column="k", op="=", value="a")]))
    sql = render(compile_plan(plan, schema=small.schema), "spark")
    assert "`x` IN (SELECT `x` FROM" in sql
    assert "CASE WHEN COUNT(*) > 1 THEN 'more' WHEN COUNT(*) <= 1 THEN 'less' END" in sql
    assert answer_plan(small, "q", plan).values == ["less"]  # only c shares a's x


# -- arithmetic over rows and columns --------------------------------------------------------------------

SEATS = """Year of election,Candidates elected,# of seats available,% of popular vote
1963,7,108,15.5%
1967,20,117,25.9%
1971,19,117,27.1%
1975,38,125,28.9%
"""


@pytest.fixture(scope="module")
def seats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("seats") / "seats.csv"
    path.write_text(SEATS, encoding="utf-8")
    ds = shuxi.open(str(path))
    yield ds
    ds.close()


def test_how_many_more_between_two_years_of_a_year_column(seats: Any) -> None:
    by_year = {int(r["Year of election"]): int(r["# of seats available"]) for r in csv.DictReader(io.StringIO(SEATS))}
    answer = seats.ask("how many more seats were available in 1975 than 1963?")
    assert [int(v) for v in answer.values] == [by_year[1975] - by_year[1963]] == [17]


def test_average_and_total_of_the_first_rows(tables: dict[str, Any]) -> None:
    first = _rows(MEDALS)[:3]
    answer = tables["medals"].ask("what is the average number of silver medals of the first three nations?")
    assert [float(v) for v in answer.values] == [sum(int(r["Silver"]) for r in first) / 3] == [2.0]
    answer = tables["medals"].ask("what is the total number of bronze medals of the first three nations?")
    assert [int(v) for v in answer.values] == [sum(int(r["Bronze"]) for r in first)] == [5]


def test_two_columns_added_up_for_a_named_row(tables: dict[str, Any]) -> None:
    expected = _medal("France", "Gold") + _medal("France", "Silver")
    answer = tables["medals"].ask("how many gold and silver medals in total did france receive?")
    assert [int(v) for v in answer.values] == [expected] == [6]


def test_difference_between_the_highest_and_the_lowest(tables: dict[str, Any]) -> None:
    laps = [int(r["Laps"]) for r in _rows(RACES)]
    answer = tables["races"].ask("what is the difference in laps between the highest and the lowest?")
    assert [int(v) for v in answer.values] == [max(laps) - min(laps)] == [35]


def test_a_ranking_over_rows_leaves_the_summary_row_out(tables: dict[str, Any]) -> None:
    best = max(_rows(MEDALS), key=lambda r: int(r["Bronze"]))["Nation"]
    answer = tables["medals"].ask("which nation won the most bronze medals?")
    assert list(answer.values) == [best] == ["Guam"]  # not the Total row's 13


# -- which of two rows is higher, on the column the question implies -------------------------------------

PEAKS = """No,Peak,Elevation (m),Col height (m)
1,Mont Blanc,4810,113
2,Monte Rosa,4634,1000
3,Dom,4545,2000
"""


def test_higher_means_the_elevation_when_no_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "peaks.csv"
    path.write_text(PEAKS, encoding="utf-8")
    rows = {r["Peak"]: int(r["Elevation (m)"]) for r in csv.DictReader(io.StringIO(PEAKS))}
    with shuxi.open(str(path)) as ds:
        answer = ds.ask("which peak is higher, monte rosa or dom?")
        assert list(answer.values) == [max(("Monte Rosa", "Dom"), key=rows.__getitem__)] == ["Monte Rosa"]


def test_a_year_names_the_column_of_a_pivoted_table() -> None:
    # One row per group, one column per year: "in 1952" is the column compared.
    table = pa.table({"Group": ["White", "Blue collar", "Farmers"], "1948": [50, 40, 30], "1952": [43, 55, 20]})
    with shuxi.open(table) as ds:
        assert list(ds.ask("which group had a higher percentage in 1952, white or blue collar?").values) == \
            ["Blue collar"]  # 55 > 43
        assert list(ds.ask("which group had a higher percentage in 1948, white or blue collar?").values) == \
            ["White"]  # 50 > 40


# -- counting rows, not distinct values; words after a number ---------------------------------------------

AWARDS = """Year,Award,Category,Result
2001,Golden Star,Best Actor,Won
2002,Golden Star,Best Actor,Won
2003,Blue Ribbon,Best Actor,Nominated
2004,Silver Screen,Best Newcomer,Won
2005,Blue Ribbon,Best Actor,Won
2006,Critics Prize,Best Actor,Won
"""


@pytest.fixture(scope="module")
def awards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("awards") / "awards.csv"
    path.write_text(AWARDS, encoding="utf-8")
    ds = shuxi.open(str(path))
    yield ds
    ds.close()


def test_how_many_awards_counts_the_rows_when_few_repeat(awards: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(AWARDS)))
    won = [r for r in rows if r["Result"] == "Won"]
    assert len({r["Award"] for r in won}) == 4  # the distinct awards, which is not what was asked
    assert list(awards.ask("how many awards did he win?").values) == [len(won)] == [5]
    assert list(awards.ask("how many different awards did he win?").values) == [4]


def test_was_there_is_yes_when_a_row_meets_the_conditions(awards: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(AWARDS)))
    expected = any(r["Award"] == "Silver Screen" and r["Result"] == "Nominated" for r in rows)
    answer = awards.ask("was there a silver screen award with the result nominated?")
    assert list(answer.values) == ["yes" if expected else "no"] == ["no"]


def test_a_slash_offers_the_words_too(tables: dict[str, Any]) -> None:
    more = _medal("Guam", "Bronze") > 3
    assert list(tables["medals"].ask("did guam win more/less than 3 bronze medals?").values) == \
        ["more" if more else "less"] == ["more"]


def test_a_number_with_a_unit_is_not_taken_for_a_count_of_rows(tables: dict[str, Any]) -> None:
    # "150 laps" is not "150 races": no column follows the number, so no yes/no over a row count.
    try:
        answer = tables["races"].ask("did kenny brack drive more than 150 laps at phoenix?")
    except PlanError:
        return
    assert "COUNT(*) >" not in answer.sql


def test_the_best_time_is_the_smallest(tmp_path: Path) -> None:
    path = tmp_path / "times.csv"
    path.write_text("Year,Best,Location\n2010,27:02.59,Ostrava\n2011,26:46.57,Berlin\n2012,27:10.00,Rome\n",
                    encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("who had the best time, ostrava or berlin?").values) == ["Berlin"]  # 26:46 < 27:02


def test_the_same_value_of_the_column_named_before_same(tmp_path: Path) -> None:
    path = tmp_path / "boats.csv"
    path.write_text("Boat #,Name,Completed\n4911,Ha-201,1945-05-31\n4912,Ha-202,1945-05-31\n4913,Ha-203,1945-06-26\n",
                    encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        # "completed on the same day": the Completed column; "what other boat": the boat's name, not its number.
        assert list(ds.ask("what other boat was completed on the same day as ha-201?").values) == ["Ha-202"]


def test_the_same_number_of_is_not_a_count(tables: dict[str, Any]) -> None:
    silver = _medal("Belarus", "Silver")
    expected = [r["Nation"] for r in _rows(MEDALS) if int(r["Silver"]) == silver and r["Nation"] != "Belarus"]
    answer = tables["medals"].ask("which nation had the same number of silver medals as belarus?")
    assert list(answer.values) == expected == ["Malaysia", "Guam"]


# -- how long, how many years between ---------------------------------------------------------------------

def test_how_long_reads_the_named_rows_time(tables: dict[str, Any]) -> None:
    answer = tables["tracks"].ask("how long is the song street life?")
    assert answer.table.column_names == ["Length"] and answer.table.num_rows == 1  # the Street Life row's length
    assert "Street Life" in answer.sql


def test_how_many_years_between_two_named_rows(tmp_path: Path) -> None:
    text = "Competition,Year,Position\nTurin Marathon,1999,1st\nLisbon Marathon,2001,3rd\nBerlin Marathon,2005,2nd\n"
    path = tmp_path / "marathons.csv"
    path.write_text(text, encoding="utf-8")
    years = {r["Competition"]: int(r["Year"]) for r in csv.DictReader(io.StringIO(text))}
    with shuxi.open(str(path)) as ds:
        answer = ds.ask("how many years after the turin marathon did the berlin marathon occur?")
        assert [int(v) for v in answer.values] == [years["Berlin Marathon"] - years["Turin Marathon"]] == [6]


def test_how_many_countries_counts_each_country_once(tables: dict[str, Any]) -> None:
    # "Opponent"-like columns name things: counted once each, even when most appear once.
    table = pa.table({"Date": ["May 1", "May 8", "May 15"], "Country": ["France", "Spain", "France"],
                      "Result": ["W", "L", "W"]})
    with shuxi.open(table) as ds:
        assert list(ds.ask("how many countries are listed?").values) == [len({"France", "Spain"})] == [2]


# -- how many answer items -------------------------------------------------------------------------------


def test_name_a_asks_for_one_row(tables: dict[str, Any]) -> None:
    # Every ABC race answers; "name a race" wants one of them: the first in the table.
    abc = [r["Race"] for r in _rows(RACES) if r["TV"] == "ABC"]
    assert len(abc) == 3
    assert list(tables["races"].ask("name a race aired on abc.").values) == abc[:1] == ["Phoenix"]
    assert list(tables["races"].ask("which races were aired on abc?").values) == abc


def test_rows_that_all_hold_the_same_cell_answer_it_once(tables: dict[str, Any]) -> None:
    networks = {r["TV"] for r in _rows(RACES) if r["Race"] in ("Phoenix", "Charlotte")}
    answer = tables["races"].ask("what tv aired phoenix and charlotte?")
    assert list(answer.values) == sorted(networks) == ["ABC"]
    assert answer.table.num_rows == 2  # the table still shows both rows


def test_the_total_of_a_label_column_is_a_count(tables: dict[str, Any]) -> None:
    assert list(tables["races"].ask("what is the total of races on the chart?").values) == [len(_rows(RACES))] == [6]


def test_who_is_first_answers_the_name_and_when_the_date(tmp_path: Path) -> None:
    text = "Rank,Name,Time\n1,Vilija Sereikaite,4:24.11\n2,Anna Blyth,4:25.96\n3,Ellen van Dijk,4:26.45\n"
    path = tmp_path / "ranked.csv"
    path.write_text(text, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("who is ranked first?").values) == ["Vilija Sereikaite"]  # not the rank, 1
    episodes = pa.table({"Episode": [1, 2, 3], "Title": ["Pilot", "Second", "Finale"],
                         "Original airdate": ["8 June 2011", "15 June 2011", "20 July 2011"]})
    with shuxi.open(episodes) as ds:
        assert [str(v) for v in ds.ask("when did the last episode air?").values] in (["20 July 2011"],
                                                                                     ["2011-07-20"])


def test_who_is_a_name_not_a_place_kept_as_text(tmp_path: Path) -> None:
    text = "Place,Player,Country,Money ($)\n1,Larry Nelson,United States,60000\nT2,Lanny Wadkins,United States,32500\n" \
           "T2,Scott Simpson,United States,32500\nT4,Curtis Strange,United States,46011\n"
    path = tmp_path / "golf.csv"
    path.write_text(text, encoding="utf-8")
    best = max(csv.DictReader(io.StringIO(text)), key=lambda r: int(r["Money ($)"]))["Player"]
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("who won the most money?").values) == [best] == ["Larry Nelson"]


# -- "how many X" where X is a number column: its sum over the rows kept -------------------------------------------

# Players and what they scored; no summary row.
SCORERS = """Player,Team,Points,Assists,Games
Ann Lee,Hawks,120,5.5,20
Bo Chen,Hawks,80,3.0,18
Cy Dorn,Owls,95,4.2,21
Di Eng,Owls,60,2.1,15
"""


def _scorers() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(SCORERS)))


@pytest.fixture
def scorers(tmp_path: Path) -> Iterator[Any]:
    path = tmp_path / "scorers.csv"
    path.write_text(SCORERS, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        yield ds


def test_how_many_of_a_number_column_adds_it_up_over_the_rows_kept(scorers: Any) -> None:
    # the Owls: Cy Dorn (95) and Di Eng (60)
    expected = sum(int(r["Points"]) for r in _scorers() if r["Team"] == "Owls")
    answer = scorers.ask("how many total points were scored by players on the owls?")
    assert [int(v) for v in answer.values] == [expected] == [155]
    assert "SUM(" in answer.sql


def test_number_of_a_column_for_several_named_rows(scorers: Any) -> None:
    expected = sum(int(r["Points"]) for r in _scorers() if r["Player"] in ("Bo Chen", "Di Eng"))
    answer = scorers.ask("number of points scored by bo chen and di eng")
    assert [int(v) for v in answer.values] == [expected] == [140]


def test_how_many_rows_still_counts_rows(scorers: Any) -> None:
    # "how many players" counts players; "games" numbers nothing here but the players are what is counted
    assert list(scorers.ask("how many players scored more than 90 points?").values) == [2]
    assert list(scorers.ask("how many players are on the hawks?").values) == [2]


# -- nouns that stand for a number column ------------------------------------------------------------------------

# A medal table: "medals" is the Total column; the last row sums the others.
MEDAL_TOTALS = """Rank,Nation,Gold,Silver,Bronze,Total
1,United States (USA),25,16,7,48
2,Canada (CAN),5,4,7,16
3,Japan,2,3,4,9
4,Iraq (IRQ),0,1,1,2
,Total,32,24,19,75
"""
# Games and their crowds.
GAMES = """Date,Opponent,Score,Attendance
June 15,Rice,17-5,"18,108"
June 17,North Carolina,5-3,"23,314"
June 22,Miami,4-2,"15,125"
"""
# Districts and how many people live there.
DISTRICTS = """District,Land area (km²),Population (2010 census)
Micoud,77.7,"16,284"
Dennery,69.7,"12,599"
Castries,79.5,"65,656"
"""
# Arenas and how many people they seat.
ARENAS = """Team,Stadium,Capacity
Maccabi,Holon City Arena,"2,850"
Hapoel,Yeshurun,"1,500"
"""


@pytest.fixture
def noun_tables(tmp_path: Path) -> Iterator[dict[str, Any]]:
    out = {}
    for name, text in {"medals": MEDAL_TOTALS, "games": GAMES, "districts": DISTRICTS, "arenas": ARENAS}.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
        out[name] = shuxi.open(str(tmp_path / f"{name}.csv"))
    yield out
    for ds in out.values():
        ds.close()


def _cell(text: str, key: str, value: str, column: str) -> int:
    return next(int(r[column].replace(",", "")) for r in csv.DictReader(io.StringIO(text)) if r[key] == value)


def test_medals_on_a_medal_table_mean_the_total_column(noun_tables: dict[str, Any]) -> None:
    medals = noun_tables["medals"]
    usa = _cell(MEDAL_TOTALS, "Nation", "United States (USA)", "Total")
    assert [int(v) for v in medals.ask("how many medals did the united states win?").values] == [usa] == [48]
    japan = _cell(MEDAL_TOTALS, "Nation", "Japan", "Total")
    assert [int(v) for v in medals.ask("how many medals were awarded to japan in total?").values] == [japan] == [9]
    # a colour still says which column: Canada's gold, not its total
    assert [int(v) for v in medals.ask("how many gold medals did canada win?").values] == [5]
    fewest = min((r for r in csv.DictReader(io.StringIO(MEDAL_TOTALS)) if r["Nation"] != "Total"),
                 key=lambda r: int(r["Total"]))["Nation"]
    assert list(medals.ask("which country won the least number of medals?").values) == [fewest] == ["Iraq (IRQ)"]


def test_people_who_attended_read_the_attendance(noun_tables: dict[str, Any]) -> None:
    crowd = _cell(GAMES, "Date", "June 22", "Attendance")
    games = noun_tables["games"]
    assert [int(v) for v in games.ask("how many people attended the june 22 game?").values] == [crowd] == [15125]
    assert [int(v) for v in games.ask("how many attended the june 22 game?").values] == [crowd]
    assert [int(v) for v in games.ask("what was the number of fans at the game against rice?").values] == [18108]


def test_people_who_live_read_the_population(noun_tables: dict[str, Any]) -> None:
    people = _cell(DISTRICTS, "District", "Micoud", "Population (2010 census)")
    answer = noun_tables["districts"].ask("how many people live in micoud?")
    assert [int(v) for v in answer.values] == [people] == [16284]


def test_people_a_stadium_seats_read_the_capacity(noun_tables: dict[str, Any]) -> None:
    seats = _cell(ARENAS, "Stadium", "Holon City Arena", "Capacity")
    answer = noun_tables["arenas"].ask("how many people does the holon city arena seat?")
    assert [int(v) for v in answer.values] == [seats] == [2850]


def test_people_on_a_table_without_a_head_count_are_rows(noun_tables: dict[str, Any]) -> None:
    # no population, attendance or capacity column: "how many people" counts the players
    with shuxi.open(pa.table({"Name": ["A", "B", "C"], "Country": ["Peru", "Peru", "Chile"]})) as ds:
        assert list(ds.ask("how many people are from peru?").values) == [2]


# -- adjectives of size name the column they rank by --------------------------------------------------------

BELLS = """#,Name,Weight (kg),Diameter (mm)
1,Maria,3800,1830
2,Gloriosa,1200,2100
3,Anna,2500,1400
"""
CONTESTANTS = """Represented,Contestant,Age,Hometown
Azua,Ana Perez,24,Azua
Baoruco,Luz Diaz,18,Neiba
Barahona,Eva Ruiz,21,Barahona
"""


def test_size_adjectives_rank_by_the_column_they_mean(tmp_path: Path) -> None:
    peaks = {r["Peak"]: int(r["Elevation (m)"]) for r in csv.DictReader(io.StringIO(PEAKS))}
    bells = {r["Name"]: int(r["Weight (kg)"]) for r in csv.DictReader(io.StringIO(BELLS))}
    ages = {r["Contestant"]: int(r["Age"]) for r in csv.DictReader(io.StringIO(CONTESTANTS))}
    places = {r["District"]: int(r["Population (2010 census)"].replace(",", ""))
              for r in csv.DictReader(io.StringIO(DISTRICTS))}
    cases = [
        # Elevation (m), not Col height (m), where Dom is the highest
        (PEAKS, "what is the tallest peak?", max(peaks, key=peaks.__getitem__), "Mont Blanc"),
        # Weight, not Diameter, where Gloriosa is the largest
        (BELLS, "what is the name of the heaviest bell?", max(bells, key=bells.__getitem__), "Maria"),
        (BELLS, "what is the name of the lightest bell?", min(bells, key=bells.__getitem__), "Gloriosa"),
        (CONTESTANTS, "who is the youngest contestant?", min(ages, key=ages.__getitem__), "Luz Diaz"),
        (CONTESTANTS, "who is the oldest contestant?", max(ages, key=ages.__getitem__), "Ana Perez"),
        (DISTRICTS, "which district is the least populated?", min(places, key=places.__getitem__), "Dennery"),
    ]
    _assert_one_answer_each(tmp_path, cases)


def _assert_one_answer_each(tmp_path: Path, cases: list[tuple[str, str, str, str]]) -> None:
    """Each (table CSV, question, answer worked out from the rows, the same answer written out) asked on its own table."""
    for i, (text, question, expected, literal) in enumerate(cases):
        path = tmp_path / f"t{i}.csv"
        path.write_text(text, encoding="utf-8")
        with shuxi.open(str(path)) as ds:
            assert list(ds.ask(question).values) == [expected] == [literal], question


# -- sizes kept as text ---------------------------------------------------------------------------------------

DELEGATES = """Represent,Contestant,Age,Height,Hometown
Alta Verapaz,Casetie Dubois,23,1.74 m (5 ft 8 1⁄2 in),Copán
Chimaltenango,Wendy Albizures,19,1.83 m (6 ft 0 in),Chimaltenango
Izabal,Jessica Donabó,21,1.69 m (5 ft 6 1⁄2 in),Puerto Barrios
"""
BUILDINGS = """Name,Area,Height,Floors,Year
Ratan Planet,Kalianpur,90 metres (295 ft),16,2013
The Landmark Hotel,Mall Road,80 metres (262 ft),14,2000
Som Dutt Plaza,Civil Lines,100 metres (328 ft),12,1995
"""
# Heights written feet first: 6'10" and 6'2" both start with 6, so the rule stays out.
FEET = """Player,Height
Ann,6'2\"
Bea,6'10\"
"""


def test_size_superlatives_on_sizes_kept_as_text(tmp_path: Path) -> None:
    metres = {r["Contestant"]: float(r["Height"].split()[0]) for r in csv.DictReader(io.StringIO(DELEGATES))}
    tall = {r["Name"]: int(r["Height"].split()[0]) for r in csv.DictReader(io.StringIO(BUILDINGS))}
    cases = [
        (DELEGATES, "who is the tallest delegate?", max(metres, key=metres.__getitem__), "Wendy Albizures"),
        (DELEGATES, "who is the shortest delegate?", min(metres, key=metres.__getitem__), "Jessica Donabó"),
        # the Floors column is a number, the Height text: the tallest is by Height, not the most floors
        (BUILDINGS, "what is the tallest building?", max(tall, key=tall.__getitem__), "Som Dutt Plaza"),
    ]
    _assert_one_answer_each(tmp_path, cases)
    path = tmp_path / "feet.csv"
    path.write_text(FEET, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        try:
            values = list(ds.ask("who is the tallest player?").values)
        except PlanError:
            values = []
        assert values != ["Ann"]  # 6'2" is not taller than 6'10"


# -- how long: lengths as the table writes them, spans of years ---------------------------------------------


def test_a_length_read_as_a_clock_time_is_given_as_the_table_writes_it(tables: dict[str, Any]) -> None:
    # Length cells "3:55" are read as times of day (03:55:00); the answer gives them back as written.
    length = next(r["Length"] for r in _rows(TRACKS) if r["Title"] == "Street Life")
    answer = tables["tracks"].ask("how long is the song street life?")
    assert list(answer.values) == [length] == ["3:55"]
    assert "3:55" in answer.text and "03:55:00" not in answer.text


OFFICE = """Name,Party,Took office,Left office
Glenlyon Campbell,Conservative,1903,1908
Duncan Cameron,Conservative,1908,1910
Arthur Berry,Progressive,1921,1931
Sam Hughes,Conservative,1931,1932
"""
FILMS = """Year,Film,Role
2007,First Light,Maya
2009,River Song,Asha
2011,Night Bus,Maya
2014,Last Call,Rani
"""


def test_how_long_someone_held_a_post_is_end_minus_start(tmp_path: Path) -> None:
    rows = {r["Name"]: r for r in csv.DictReader(io.StringIO(OFFICE))}
    years = int(rows["Arthur Berry"]["Left office"]) - int(rows["Arthur Berry"]["Took office"])
    one = int(rows["Sam Hughes"]["Left office"]) - int(rows["Sam Hughes"]["Took office"])
    path = tmp_path / "office.csv"
    path.write_text(OFFICE, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        answer = ds.ask("how long was arthur berry in office?")
        assert list(answer.values) == [f"{years} years"] == ["10 years"]
        assert "Arthur Berry" in answer.sql
        assert answer.text.startswith("10 years, from 1921 to 1931")  # the two years it is computed from
        assert list(ds.ask("how long did sam hughes serve?").values) == [f"{one} year"] == ["1 year"]


def test_how_long_a_career_lasted_is_the_span_of_the_years_listed(tmp_path: Path) -> None:
    years = [int(r["Year"]) for r in csv.DictReader(io.StringIO(FILMS))]
    path = tmp_path / "films.csv"
    path.write_text(FILMS, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("how long has she been acting?").values) == [f"{max(years) - min(years)} years"] \
            == ["7 years"]
        # a time between two named rows or up to now is another question: not this span
        for question in ("how long after first light was night bus released?", "how long ago was river song?"):
            try:
                values = list(ds.ask(question).values)
            except PlanError:
                values = []
            assert values != [f"{max(years) - min(years)} years"], question


# -- where, when, who: the column of the kind the question asks for ---------------------------------------

MEETS = """Year,Competition,Venue,Position
2005,World Championships,"Helsinki, Finland",5th
2007,Asian Games,"Doha, Qatar",2nd
2009,World Championships,"Berlin, Germany",1st
"""
DRAFT = """Pick,Player,Position,College
12,Ann Lee,Guard,Duke
35,Bea Cruz,Center,Ohio
40,Cy Dunn,Guard,Iowa
"""


def test_where_asks_for_the_place_column(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(MEETS)))
    path = tmp_path / "meets.csv"
    path.write_text(MEETS, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("where was the last competition held?").values) == [rows[-1]["Venue"]] \
            == ["Berlin, Germany"]
        assert list(ds.ask("where was the first competition?").values) == [rows[0]["Venue"]]
        # "where did he finish" asks for a position, not a place
        assert list(ds.ask("where did he finish in 2007?").values) != [rows[1]["Venue"]]


def test_what_year_and_who_ask_for_a_year_and_a_name(tmp_path: Path) -> None:
    meets = list(csv.DictReader(io.StringIO(MEETS)))
    draft = list(csv.DictReader(io.StringIO(DRAFT)))
    (tmp_path / "meets.csv").write_text(MEETS, encoding="utf-8")
    (tmp_path / "draft.csv").write_text(DRAFT, encoding="utf-8")
    with shuxi.open(str(tmp_path / "meets.csv")) as ds:
        first = next(r for r in meets if r["Competition"] == "World Championships")
        assert [int(v) for v in ds.ask("what year was the first world championships?").values] == \
            [int(first["Year"])] == [2005]
    with shuxi.open(str(tmp_path / "draft.csv")) as ds:
        # the question names Pick, a number: "who" still asks for the player
        assert list(ds.ask("who was the first pick from ohio?").values) == \
            [next(r["Player"] for r in draft if r["College"] == "Ohio")] == ["Bea Cruz"]


RESULTS = """Year,Competition,Venue,Position,Event,Notes
2001,Beijing Marathon,"Beijing, China",7th,Marathon,2:10:46
2003,World Championships,"Paris, France",12th,Marathon,2:12:59
2004,Olympic Games,"Athens, Greece",20th,Marathon,2:19:26
2005,World Championships,"Helsinki, Finland",9th,10000 m,28:10.15
"""


def test_how_long_asks_for_the_column_of_times(tmp_path: Path) -> None:
    # An athletics table keeps its times under Notes; "how long" asks for them, not for the Competition.
    rows = list(csv.DictReader(io.StringIO(RESULTS)))
    path = tmp_path / "results.csv"
    path.write_text(RESULTS, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        answer = ds.ask("how long did it take him to finish the marathon at the olympic games?")
        assert list(answer.values) == [next(r["Notes"] for r in rows if r["Competition"] == "Olympic Games")] \
            == ["2:19:26"]


# A "?" for unknown years keeps From and To as text, so a question that names none of its columns took From.
MAYORS = """From,To,Name,Party,Position
1966,1989,Maurice Lecoq,,Market gardener
?,?,Yves Martin,,Doctor
1989,2008,Michel Deuzet,SE,Farmer
2008,2014,Patrice Martin,SE,Bank officer
"""


def test_which_thing_asks_for_the_row_name_not_a_year(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(MAYORS)))
    path = tmp_path / "mayors.csv"
    path.write_text(MAYORS, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("which person had the position of farmer?").values) == \
            [next(r["Name"] for r in rows if r["Position"] == "Farmer")] == ["Michel Deuzet"]
        assert list(ds.ask("which mayor was a bank officer?").values) == ["Patrice Martin"]
    # cells that name something ("1988 Summer Olympics") are the thing itself, even when they start with a year
    games = "Games,Host city,Participants\n1984 Summer Olympics,Los Angeles,6829\n1988 Summer Olympics,Seoul,8391\n"
    path = tmp_path / "games.csv"
    path.write_text(games, encoding="utf-8")
    most = max(csv.DictReader(io.StringIO(games)), key=lambda r: int(r["Participants"]))["Games"]
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("which olympics had the most participants?").values) == [most] == ["1988 Summer Olympics"]


def test_who_did_it_asks_for_the_doers_column(tmp_path: Path) -> None:
    # "who wrote" is the Written by column, "who directed" the Director, not the Title the episode is named by
    episodes = "No.,Title,Directed by,Written by,Air date\n1,Pilot,Ann Lee,Bo Chan,2001\n2,Homecoming,Cy Diaz,Di Ek,2001\n"
    rows = list(csv.DictReader(io.StringIO(episodes)))
    path = tmp_path / "episodes.csv"
    path.write_text(episodes, encoding="utf-8")
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("who wrote the first episode?").values) == [rows[0]["Written by"]] == ["Bo Chan"]
        assert list(ds.ask("who directed homecoming?").values) == \
            [next(r["Directed by"] for r in rows if r["Title"] == "Homecoming")] == ["Cy Diaz"]


SWIMMERS = """Rank,Name,Nationality,Time
1,Janelle Atkinson,Jamaica,4:08.14
2,Hannah Stockbauer,Germany,4:08.85
3,Jana Henke,Germany,4:09.01
4,Eva Risztov,Hungary,4:10.32
"""


def test_which_country_asks_for_the_nationality_column(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(SWIMMERS)))
    path = tmp_path / "swimmers.csv"
    path.write_text(SWIMMERS, encoding="utf-8")
    most = Counter(r["Nationality"] for r in rows).most_common(1)[0][0]
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("what country was the top performer from?").values) == [rows[0]["Nationality"]] \
            == ["Jamaica"]
        assert list(ds.ask("which country has the most swimmers?").values) == [most] == ["Germany"]


def test_which_team_asks_for_the_opponent_column(tmp_path: Path) -> None:
    games = "Date,Venue,Opponent,Score,Competition\n1 June 2012,Kingston,Haiti,1-0,Caribbean Cup\n" \
            "5 June 2012,St. John's,Antigua,2-2,Caribbean Cup\n9 July 2012,Kingston,Cuba,0-1,Friendly\n"
    rows = list(csv.DictReader(io.StringIO(games)))
    path = tmp_path / "games.csv"
    path.write_text(games, encoding="utf-8")
    last_cup = [r for r in rows if r["Competition"] == "Caribbean Cup"][-1]
    with shuxi.open(str(path)) as ds:
        assert list(ds.ask("which team did they face in their last game in the caribbean cup?").values) == \
            [last_cup["Opponent"]] == ["Antigua"]
