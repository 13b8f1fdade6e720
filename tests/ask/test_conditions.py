"""Conditions in WikiTableQuestions-style questions: thresholds on numbers kept as text (places "4th", race
times "1:55.3", points "20+1"), before/after a date or a decade, and the words that mean each direction.

Each table is written out below; every expected answer is counted by hand from those rows (the comments say
which rows), never taken from shuxi's own output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import shuxi
from shuxi.ask.numbers import find_numbers

# A driver standings table: Points has bonus marks ("20+1") and blanks, so it stays text.
RACE = """Pos,Driver,Team,Time,Points
1,Michael Andretti,Newman-Haas,1:33:39.268,20+1
2,Greg Moore,Forsythe,+0.075,16+1
3,Alex Zanardi,Ganassi,+0.918,14
4,Christian Fittipaldi,Newman-Haas,+3.359,12
5,Scott Pruett,Patrick,+5.257,10
6,Adrian Fernandez,Patrick,+5.926,8
7,Gil de Ferran,Walker,+6.810,6
8,Richie Hearn,Della Penna,+1 Lap,
"""
# A club's league seasons: the Position cells are ordinals, one with a note.
SEASONS = """Season,Division,Position,Movements
1999,Division 4,6th,
2000,Division 4,2nd,
2001,Division 4,4th,
2002,Division 4,3rd,Promotion Playoffs
2003,Division 3,10th (h),Relegated
2004,Division 4,1st,Promoted
2005,Division 3,12th,
2006,Division 3,4th,
"""
# An 800 m final: times as minutes:seconds.
FINAL = """Rank,Athlete,Nation,Time
1,Ana Ruiz,ESP,1:54.30
2,Beth Cole,USA,1:54.95
3,Cara Diaz,CUB,1:55.00
4,Dana Ek,SWE,1:55.48
5,Eva Moss,GBR,1:56.10
6,Fay Lin,CHN,DNF
"""
# Sports teams with their championships written out in words.
TEAMS = """Team,Sport,Championships
Madison Mallards,Baseball,2 championships
Madison Capitols,Hockey,1 championship
Madison Mustangs,Football,5 championships
Madison Radicals,Ultimate,3 championships
Madison Blues,Hockey,none
"""
# Games with full dates.
GAMES = """Date,Opponent,Venue,Result
2013-08-03,Leeds,Home,W 2-1
2013-08-10,Derby,Away,L 0-1
2013-08-14,Hull,Home,D 1-1
2013-08-17,Wigan,Away,W 3-0
2013-09-21,Reading,Home,W 1-0
2013-11-02,Millwall,Away,L 1-2
"""
# Films by year (a number column).
FILMS = """Year,Film,Role
1946,Dark Road,Anna
1949,Night Train,Clara
1949,Blue Harbour,Mia
1953,The Last Day,Ruth
1958,Summer Rain,Eve
1962,Old Town,Nora
"""
# Marathon winners with the year kept as text (a footnote mark on one of them).
MARATHON = """Year,Winner,Country,Time
1997,Joseph Kahugu,Kenya,2:13:04
1999,Shem Kororia,Kenya,2:12:39
2000,Elijah Lagat,Kenya,2:11:46
2001*,Isaac Macharia,Kenya,2:10:12
2003,Daniel Kipchumba,Ethiopia,2:09:59
2005,Paul Koech,Kenya,2:12:01
"""

# A marathon's winners with their countries as codes in brackets, men and women in two columns.
CITY_MARATHON = """Edition,Year,Men's winner,Women's winner
1st,1996,Joseph Kahugu (KEN),Lukose Leelamma (IND)
2nd,1999,Zablon Mokaya (KEN),Lyubov Fyodorova (RUS)
3rd,2000,Fedor Ryzhov (RUS),Margaret Ngotho (KEN)
4th,2002,Ambrose Makau (KEN),Natalya Volgina (RUS)
5th,2003,Robert Kipyego (KEN),Masila Ndunge (KEN)
6th,2006,Said Regragui (SWE),Hellen Musyoka (KEN)
"""
# Draft picks with a nationality column of country names.
PICKS = """Round,Player,Position,Nationality
1,Rick Hampton,Defence,Canada
2,Ron Chipperfield,Centre,Canada
3,Bruce Affleck,Defence,United States
4,Charlie Simmer,Left Wing,Canada
5,Tom Price,Defence,United States
6,Jim Warden,Goaltender,Sweden
"""

# A medal table whose headers end in colons, and a density column with its unit on a second line.
MEDALS = """Pos,Country:,Gold:,Total:,"Density
(inhabitants/km2)"
1,Italy (ITA),3,7,461.8
2,United States (USA),3,4,417.5
3,Poland (POL),1,7,527.1
4,Soviet Union (URS),1,5,276.7
5,Hungary (HUN),1,1,611.2
"""
# An album's tracks; a chart with peak positions as numbers; team records.
TRACKS = """#,Title,Lead Vocals
1,Savior More than Life,Keisha Grandy
2,When I Think About Jesus,The Family
3,Jesus Paid it All,Kirk Franklin
4,Conquerors,Dalon Collins
5,I Love You Jesus,Teresa Young
"""
SINGLES = """Year,Title,Peak chart positions US Country
1952,Back Street Affair,5
1953,Hey Joe,8
1954,Release Me,1
1955,Jealousy,12
1956,Repenting,3
"""
RECORDS = """Season,Team,Wins,Losses,Founded
1998,Hawks,75,87,1880
1999,Owls,92,70,1905
2000,Cubs,68,94,1876
2001,Reds,81,81,1950
2002,Mets,75,87,1962
"""

# An actor's awards: award names repeat across years.
AWARDS = """Year,Award,Category,Result
2005,Baeksang Arts Award,Best New Actor,Won
2006,KBS Drama Award,Best Actor,Won
2006,Baeksang Arts Award,Best Actor,Nominated
2008,KBS Drama Award,Excellence Award,Won
2009,KBS Drama Award,Best Couple,Won
2011,SBS Drama Award,Top Excellence,Won
"""
# A basketball season: results as a letter and a score.
SCHEDULE = """Date,Opponent,Site,Result,Record
Nov 26,Loyola,Home,W 95-64,1-0
Nov 29,Oklahoma,Away,L 60-72,1-1
Dec 3,Hawaii,Home,W 72-45,2-1
Dec 7,Duke,Away,W 80-79,3-1
Dec 10,Kansas,Neutral,L 55-70,3-2
"""

# Fixtures whose dates stay text (one cell is "TBA"), and a year column kept as text.
FIXTURES = """Date,Opponent,Result
"January 26, 1995",Leeds,W 2-1
"March 3, 1995",Derby,L 0-1
"June 14, 1996",Hull,D 1-1
TBA,Wigan,W 3-0
"June 2, 1997",Reading,W 1-0
"""

# Units that name their column: track lengths as m:ss (one cell a dash keeps them text; the other table's lengths
# are all m:ss, which the reader takes for times of day), attendances with thousands commas, elevations in feet,
# lake areas in km2, and a table with two head counts.
VERSIONS = """Version,Length,Year
Album version,4:30,2005
Radio edit,3:55,2005
Extended mix,6:12,2006
Live,5:01,2007
Instrumental,—,2007
"""
SONGS = """#,Title,Time
1,The C-Quel,3:36
2,Before Can-I-Bus,3:31
3,Shockwave,4:16
4,Watch Ya Mouth,2:58
5,Horsementality,5:02
"""
CROWDS = """Week,Opponent,Attendance
1,Miami Dolphins,"71,317"
2,Indianapolis Colts,"65,134"
3,Jacksonville Jaguars,"49,970"
4,Atlanta Falcons,"59,999"
5,Oakland Raiders,"60,000"
6,Buffalo Bills,N/A
"""
PEAKS = """Rank,Peak,Elevation
1,Saka Haphong,"3,465 ft"
2,Zow Tlang,"3,353 ft"
3,Dumlong,"3,314 ft"
4,Jogi Haphong,"3,251 ft"
5,Keokradong,"3,172 ft"
6,Thingdawl Te Tlang,"3,019 ft"
"""
LAKES = """Name,Area (km2),Depth
Lake Van,3755 km2,451 m
Lake Tuz,1500 km2,2 m
Lake Bafa,60 km2,
Lake Salda,4 km2,184 m
Lake Abant,1.28 km2,18 m
"""
HURDLES = """Pos.,Time,Athlete
1,12.21 (+0.7),Yordanka Donkova
2,12.25 (+1.4),Ginka Zagorcheva
3,12.26 (+1.7),Ludmila Narozhilenko
4,12.40 (+0.2),Sally Pearson
5,12.44 (-0.3),Gail Devers
"""
ROUNDS = """Round,Venue,Attendance
R1,Princes Park,21000
R2,Waverley Park,43438
R3,Windy Hill,18500
"""
# A club's seasons with places as ordinals; a draft by round; a medal table with a number Rank.
LEAGUE = """Season,Division,Position
1960,Division 4,3rd
1961,Division 4,9th
1962,Division 4,1st
1963,Division 3,9th
1964,Division 3,1st (promoted)
1965,Division 2,12th
"""
DRAFT = """Round,Player,Position
1,Rick Hampton,Defence
2,Ron Chipperfield,Centre
2,Bruce Affleck,Defence
3,Charlie Simmer,Left Wing
7,Tom Price,Defence
7,Jim Warden,Goaltender
"""
# A squad with positions as two-letter codes, and channels with a one-letter class.
SQUAD = """Place,Position,Name,Goals
1,MF,Ryan Hall,14
2,DF,Bilel Mohsni,13
3,FW,Liam Dickinson,12
4,FW,Neil Harris,10
5,DF,Mark Phillips,8
6,MF,Kane Ferdinand,7
7,GK,Paul Smith,0
"""
CHANNELS = """Callsign,Network,Class,Definition
TNQ,Seven,C,HD
SDQ,Nine,A,SD
RTQ,Ten,C,HD
ABQ,ABC,B,SD
"""
# A season's games: one table with dates, one with dates kept as text ("13 Jul"), over two years.
MATCHES = """Date,Opponent,Attendance
2009-07-13,Koper,7000
2009-07-20,Hajduk Split,8000
2009-08-04,Sheriff,10000
2010-02-06,Rijeka,3500
2010-07-27,Zadar,2000
"""
MATCH_DAYS = """M,Date,Opponent
1,13 Jul,Koper
2,20 Jul,Hajduk Split
3,04 Aug,Sheriff
4,06 Feb,Rijeka
5,27 Jul,Zadar
"""
# A fighter's record, swimmers with nationalities, and an album whose empty cells mean "none listed".
FIGHTS = """Res.,Record,Opponent,Method
Loss,8-3,Cody Goodale,KO
Win,8-2,Sam Hoger,Decision
Loss,7-2,Guto Inocente,Submission
Win,7-1,Tim Sylvia,KO
Loss,6-1,Lavar Johnson,TKO
"""
SWIMMERS = """Rank,Name,Nationality,Time
1,Julia Stowers,United States,4:16.89
2,Hannah Miley,Great Britain,4:17.20
3,Kaitlin Sandeno,United States,4:18.97
4,Mireia Belmonte,Spain,4:19.84
"""
ALBUM = """#,Title,Producer(s),Songwriters,Time
1,The C-Quel,Pillo Jamel,Jamel; Smith,3:36
2,Shock Therapy,,Smith,1:12
3,Horsemen,,,4:16
4,Watch Ya Mouth,Ty Fyffe,Fyffe,2:58
"""
STADIUMS = """Stadium,Capacity,Attendance
North Park,"12,000","9,500"
East Field,"8,000","8,100"
West Ground,"5,000","2,300"
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("conditions")
    out = {}
    for name, text in {"race": RACE, "seasons": SEASONS, "final": FINAL, "teams": TEAMS, "games": GAMES,
                       "films": FILMS, "marathon": MARATHON, "city": CITY_MARATHON, "picks": PICKS,
                       "medals": MEDALS, "tracks": TRACKS, "singles": SINGLES, "records": RECORDS,
                       "awards": AWARDS, "schedule": SCHEDULE, "fixtures": FIXTURES, "versions": VERSIONS,
                       "songs": SONGS, "crowds": CROWDS, "peaks": PEAKS, "lakes": LAKES,
                       "stadiums": STADIUMS, "hurdles": HURDLES, "rounds": ROUNDS,
                       "league": LEAGUE, "draft": DRAFT, "squad": SQUAD,
                       "channels": CHANNELS, "matches": MATCHES, "match_days": MATCH_DAYS,
                       "fights": FIGHTS, "swimmers": SWIMMERS, "album": ALBUM}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        out[name] = shuxi.open(str(folder / f"{name}.csv"))
    yield out
    for ds in out.values():
        ds.close()


def ask(ds: Any, question: str) -> list[Any]:
    return list(ds.ask(question).values)


# -- numbers kept as text --------------------------------------------------------------------------------------


def test_points_with_bonus_marks_compare_by_their_number(tables: dict[str, Any]) -> None:
    assert tables["race"].schema.field("Points").type == "string"  # the premise: the column stayed text
    # 20+1, 16+1, 14, 12, 10 are at least 10; 8 and 6 are not; the blank has no number.
    assert ask(tables["race"], "how many drivers had at least 10 points?") == [5]
    # more than 12: 20+1, 16+1, 14
    assert ask(tables["race"], "how many drivers scored more than 12 points?") == [3]


def test_places_below_and_above(tables: dict[str, Any]) -> None:
    seasons = tables["seasons"]
    # "less than 4th place": 2nd (2000), 3rd (2002), 1st (2004)
    assert ask(seasons, "how many years did the club finish in less than 4th place?") == [3]
    # "below 10th place" is a larger number: 12th (2005); 10th (h) itself is not below it
    assert ask(seasons, "how many times did the club finish below 10th place?") == [1]
    # "above 4th" is a smaller number: 2nd, 3rd, 1st
    assert ask(seasons, "how many seasons did they finish above 4th?") == [3]


def test_or_better_and_or_worse_on_places(tables: dict[str, Any]) -> None:
    seasons = tables["seasons"]
    # 4th or better: 2nd, 4th, 3rd, 1st, 4th
    assert ask(seasons, "how many times did they place 4th or better?") == [5]
    # third or better, the ordinal written as a word: 2nd, 3rd, 1st
    assert ask(seasons, "how many times did they place third or better?") == [3]
    # 10th place or worse: 10th (h), 12th
    assert ask(seasons, "what is the number of seasons finished in 10th place or worse?") == [2]
    # "at least 4th place" means 4th or better
    assert ask(seasons, "how many years did the team finish in at least 4th place?") == [5]


def test_a_threshold_on_text_numbers_answers_a_list_too(tables: dict[str, Any]) -> None:
    # which drivers had more than 12 points: 20+1, 16+1, 14
    answer = tables["race"].ask("which drivers had more than 12 points?")
    assert sorted(answer.values) == ["Alex Zanardi", "Greg Moore", "Michael Andretti"]


def test_race_times_compare_as_durations(tables: dict[str, Any]) -> None:
    final = tables["final"]
    # under 1:55 (115 s): 1:54.30, 1:54.95; 1:55.00 is not under it
    assert ask(final, "how many athletes finished in less than 1:55?") == [2]
    # 1:55.48 or faster: the first four
    assert ask(final, "how many athletes ran faster than 1:55.5?") == [4]
    # a marathon time in hours: under 2:12:00 are 2:11:46, 2:10:12, 2:09:59
    assert ask(tables["marathon"], "how many winners ran under 2:12:00?") == [3]


def test_a_cell_that_starts_with_a_number_becomes_a_threshold(tables: dict[str, Any]) -> None:
    # "2 championships" is a cell, but "at least" asks for 2, 3 and 5 championships; "none" has no number
    assert ask(tables["teams"], "how many madison sports teams have won at least 2 championships?") == [3]
    # "fewer than 3 championships": 2 and 1
    assert ask(tables["teams"], "how many teams have won fewer than 3 championships?") == [2]


def test_a_year_kept_as_text_compares_as_a_year(tables: dict[str, Any]) -> None:
    assert tables["marathon"].schema.field("Year").type == "string"  # "2001*" keeps the column text
    # since 2000: 2000, 2001*, 2003, 2005; of them from Kenya: 2000, 2001*, 2005
    assert ask(tables["marathon"], "since 2000 how many kenyan men have won the marathon?") == [3]


def test_a_cell_after_after_is_still_the_row_after_it(tables: dict[str, Any]) -> None:
    # "after 2003" here asks for the row after that cell, not for every later year: no count word
    plan = tables["marathon"].ask("who was the winner after 2003?").plan
    assert plan.anchor is not None and plan.anchor.offset == 1
    assert [(f.column, f.op, f.value) for f in plan.anchor.where] == [("Year", "=", "2003")]
    assert not any(f.number for f in plan.filters)


# -- dates and decades -----------------------------------------------------------------------------------------


def test_before_and_after_a_full_date_or_a_month(tables: dict[str, Any]) -> None:
    games = tables["games"]
    # after 14 August 2013: 17 Aug, 21 Sep, 2 Nov (not the 14th itself)
    assert ask(games, "how many games were played after 14 august 2013?") == [3]
    # before September 2013: the four August games
    assert ask(games, "how many games were played before september 2013?") == [4]
    # since September 2013: 21 Sep, 2 Nov
    assert ask(games, "how many games were played since september 2013?") == [2]


def test_before_and_after_a_decade(tables: dict[str, Any]) -> None:
    films = tables["films"]
    # before the 1950s: 1946, 1949, 1949 (rows, not distinct titles: two films share 1949)
    assert ask(films, "how many films were made before the 1950s?") == [3]
    # after the 1950s: 1962
    assert ask(films, "how many films were made after the 1950s?") == [1]
    # in the 1950s: 1953, 1958
    assert ask(films, "how many films were made in the 1950s?") == [2]


# -- numbers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [("1:55", 115), ("1:54.30", 114.3), ("2:10:23", 7823), ("12:30", 750)])
def test_durations_are_read_in_seconds(text: str, seconds: float) -> None:
    found = find_numbers(f"finished in less than {text}?")
    assert [(n.kind, n.value, n.text) for n in found] == [("duration", seconds, text)]


def test_a_time_of_day_is_not_a_duration() -> None:
    assert all(n.kind != "duration" for n in find_numbers("how many games started after 4:00 pm?"))


# -- countries as people say them ------------------------------------------------------------------------------


def test_a_demonym_links_to_the_country_cell(tables: dict[str, Any]) -> None:
    picks = tables["picks"]
    # Canada: Hampton, Chipperfield, Simmer
    assert ask(picks, "how many draft picks were canadian?") == [3]
    # United States: Affleck, Price
    assert ask(picks, "how many players were american?") == [2]
    assert ask(picks, "how many players came from the usa?") == [2]
    assert sorted(ask(picks, "which players were swedish?")) == ["Jim Warden"]


def test_us_as_a_pronoun_or_a_chart_is_not_the_country(tables: dict[str, Any]) -> None:
    plan = tables["picks"].ask("tell us how many players there were").plan
    assert not any(f.column == "Nationality" for f in plan.filters)


def test_a_demonym_finds_the_code_in_brackets_in_the_named_column(tables: dict[str, Any]) -> None:
    city = tables["city"]
    # Men's winners from Kenya: 1996, 1999, 2002, 2003; since 2000: 2002, 2003
    assert ask(city, "how many kenyan men have won the marathon?") == [4]
    assert ask(city, "since 2000 how many kenyan men have won the marathon?") == [2]
    # Women's winners from Kenya: 2000, 2003, 2006
    assert ask(city, "how many kenyan women have won?") == [3]


# -- more ways to say a condition ------------------------------------------------------------------------------


def test_column_names_with_colons_and_units_are_named_by_their_words(tables: dict[str, Any]) -> None:
    medals = tables["medals"]
    # Total: more than 5 → Italy 7, Poland 7
    assert ask(medals, "how many countries have more than 5 medals in total?") == [2]
    # Density above 450: 461.8, 527.1, 611.2
    assert ask(medals, "how many countries have densities above 450?") == [3]


def test_a_quoted_word_the_rows_do_not_include(tables: dict[str, Any]) -> None:
    # titles without "jesus": Savior More than Life, Conquerors
    assert ask(tables["tracks"], 'how many tracks do not include the word "jesus"?') == [2]
    assert ask(tables["tracks"], 'how many tracks include the word "jesus"?') == [3]


def test_a_chart_position_at_least_5_is_5_or_better(tables: dict[str, Any]) -> None:
    # at least #5: 5, 1, 3 (a number column, but a position: smaller is better)
    assert ask(tables["singles"], "how many songs hit at least 5 on the us country chart?") == [3]


def test_or_less_after_the_counted_noun(tables: dict[str, Any]) -> None:
    # 75 wins or less: Hawks 75, Cubs 68, Mets 75
    assert ask(tables["records"], "how many teams won 75 games or less?") == [3]
    # "more or less" offers two answers; it is no threshold on the year
    plan = tables["records"].ask("did the hawks have more or less wins than the owls?").plan
    assert not any(f.number or f.op in ("<", "<=", ">", ">=") for f in plan.filters)


def test_centuries_and_negated_decades(tables: dict[str, Any]) -> None:
    records = tables["records"]
    # founded in the 1800s: 1880, 1876
    assert ask(records, "how many teams were founded in the 1800s?") == [2]
    # before the 1900s: 1880, 1876
    assert ask(records, "how many teams were founded before the 1900s?") == [2]
    films = tables["films"]
    # not made in the 1940s: 1953, 1958, 1962
    assert ask(films, "how many films were not made in the 1940s?") == [3]


# -- what "how many" counts --------------------------------------------------------------------------------------


def test_under_a_condition_how_many_counts_rows_not_different_values(tables: dict[str, Any]) -> None:
    awards = tables["awards"]
    # won before 2010: 2005 Baeksang, 2006 KBS, 2008 KBS, 2009 KBS → 4 awards (2 different award names)
    assert ask(awards, "how many awards did he win before 2010?") == [4]
    # "different" still asks for values: Baeksang Arts Award, KBS Drama Award
    assert ask(awards, "how many different awards did he win before 2010?") == [2]


def test_results_written_as_a_letter(tables: dict[str, Any]) -> None:
    schedule = tables["schedule"]
    # W 95-64, W 72-45, W 80-79
    assert ask(schedule, "how many games did they win?") == [3]
    # L 60-72, L 55-70
    assert ask(schedule, "how many losses were there in the season?") == [2]
    # at home: Loyola (W), Hawaii (W)
    assert ask(schedule, "how many home games did they win?") == [2]


# -- dates kept as text -------------------------------------------------------------------------------------------


def test_a_year_or_a_month_on_dates_kept_as_text(tables: dict[str, Any]) -> None:
    fixtures = tables["fixtures"]
    assert fixtures.schema.field("Date").type == "string"  # the premise: "TBA" keeps the dates as text
    # 1995: January 26 and March 3
    assert ask(fixtures, "how many games were played in 1995?") == [2]
    # June 1996: Hull (June 1997 is another year)
    assert ask(fixtures, "which opponent did they play in june 1996?") == ["Hull"]


def test_a_year_on_a_year_column_kept_as_text(tables: dict[str, Any]) -> None:
    # "2001*" is the year 2001: Isaac Macharia
    assert ask(tables["marathon"], "who won in 2001?") == ["Isaac Macharia"]


# -- a number's unit names its column ------------------------------------------------------------------------------


def test_minutes_compare_with_the_length_column(tables: dict[str, Any]) -> None:
    versions = tables["versions"]
    assert versions.schema.field("Length").type == "string"  # the premise: the dash keeps the lengths text
    # under five minutes: 4:30, 3:55; the dash has no length
    assert ask(versions, "how many versions are less than five minutes long?") == [2]
    # over 5 minutes: 6:12, 5:01
    assert ask(versions, "how many versions were over 5 minutes?") == [2]


def test_minutes_on_lengths_read_as_times_of_day(tables: dict[str, Any]) -> None:
    songs = tables["songs"]
    assert str(songs.schema.field("Time").type).startswith("time")  # the premise: "3:36" was read as 03:36
    # at most 3 minutes: 2:58 only
    assert ask(songs, "how many songs are at most 3 minutes long?") == [1]
    # less than 4 minutes in length: 3:36, 3:31, 2:58
    assert ask(songs, "how many songs are less than 4 minutes in length?") == [3]


def test_people_compare_with_the_attendance(tables: dict[str, Any]) -> None:
    # at least 60,000 people: 71,317, 65,134, 60,000; 59,999 is short by one and N/A has no number
    assert ask(tables["crowds"], "how many games were attended by at least 60,000 people?") == [3]
    assert sorted(ask(tables["crowds"], "which opponents drew more than 65,000 people?")) == ["Indianapolis Colts",
                                                                                             "Miami Dolphins"]


def test_feet_and_square_kilometres_compare_with_cells_in_that_unit(tables: dict[str, Any]) -> None:
    # below 3200 feet: 3,172 ft and 3,019 ft
    assert ask(tables["peaks"], "how many peaks are below 3200 feet?") == [2]
    # less than 10 square kilometers: 4 km2 and 1.28 km2 (the depths in m are another unit)
    assert ask(tables["lakes"], "how many lakes are less than 10 square kilometers in size?") == [2]


def test_two_head_counts_leave_people_unlinked(tables: dict[str, Any]) -> None:
    # Capacity and Attendance both count people: the unit alone does not say which
    plan = tables["stadiums"].ask("how many stadiums hold more than 6,000 people?").plan
    assert not any(f.op in (">", ">=") for f in plan.filters)


def test_seconds_compare_with_a_time_column_of_seconds(tables: dict[str, Any]) -> None:
    # faster than 12.40 seconds: 12.21, 12.25, 12.26 (12.40 itself is not faster)
    assert ask(tables["hurdles"], "how many athletes were faster than 12.40 seconds?") == [3]


def test_the_column_a_unit_limits_is_not_also_the_answer(tables: dict[str, Any]) -> None:
    # more than 40,000 people in attendance: round 2 only; the answer is its venue, not the attendance
    assert ask(tables["rounds"], "in which venue was the only round with more than 40,000 people in attendance?") \
        == ["Waverley Park"]


# -- an ordinal that picks rows by their number ---------------------------------------------------------------------


def test_a_finishing_place_said_as_an_ordinal(tables: dict[str, Any]) -> None:
    league = tables["league"]
    # finished ninth: 1961, 1963
    assert ask(league, "how many times did they finish ninth?") == [2]
    # first place: 1962, and 1964 whose cell carries a note
    assert ask(league, "how many first place finishes did the club have?") == [2]
    assert sorted(ask(league, "in which seasons did they come in 9th?")) == [1961, 1963]


def test_an_ordinal_before_a_column_name_is_that_number(tables: dict[str, Any]) -> None:
    draft = tables["draft"]
    # the seventh round: Tom Price, Jim Warden
    assert ask(draft, "how many players were picked in the seventh round?") == [2]
    assert sorted(ask(draft, "which players were selected in the 2nd round?")) == ["Bruce Affleck", "Ron Chipperfield"]


def test_the_first_row_is_still_row_order(tables: dict[str, Any]) -> None:
    # "the first season" is the first row, not a season numbered 1
    plan = tables["league"].ask("what was the division in the first season?").plan
    assert not any(f.op == "=" and f.value == 1 for f in plan.filters)
    # "the first time" is the first row's time (1:54.30), not a time that starts with 1
    assert ask(tables["final"], "the first time on the list is?") == ["1:54.30"]


def test_first_beside_a_superlative_is_not_place_one(tables: dict[str, Any]) -> None:
    # "ranked first with the most goals": the most goals decide (Ryan Hall, 14), no filter Place = 1 is added
    plan = tables["squad"].ask("which player ranked first with the most goals?").plan
    assert not any(f.column == "Place" for f in plan.filters)


# -- short codes in a question written in lower case ------------------------------------------------------------------


def test_two_letter_codes_in_a_lower_case_question(tables: dict[str, Any]) -> None:
    squad = tables["squad"]
    # MF or DF: Hall, Mohsni, Phillips, Ferdinand
    assert ask(squad, "how many players play either mf or df?") == [4]
    assert ask(tables["channels"], "how many channels are in hd?") == [2]


def test_a_single_letter_is_a_code_only_after_a_column_word_or_quoted(tables: dict[str, Any]) -> None:
    channels = tables["channels"]
    # class C: TNQ, RTQ
    assert sorted(ask(channels, "which callsigns are in class c?")) == ["RTQ", "TNQ"]
    assert ask(channels, 'how many channels have class "b"?') == [1]
    # "a" here is the article, not class A
    plan = channels.ask("how many channels does a network have?").plan
    assert not any(f.column == "Class" for f in plan.filters)


def test_short_words_in_capitals_still_need_their_case(tables: dict[str, Any]) -> None:
    # the question has capitals, so "df" must be written "DF" to be the code: here it is, and is linked
    assert ask(tables["squad"], "How many DF players are there?") == [2]


# -- a month without a year -----------------------------------------------------------------------------------------


def test_a_month_without_a_year_is_that_month_of_any_year(tables: dict[str, Any]) -> None:
    matches = tables["matches"]
    assert str(matches.schema.field("Date").type).startswith("date")  # the premise: a real date column
    # July: 2009-07-13, 2009-07-20 and 2010-07-27 (two years)
    assert ask(matches, "how many games did the club play in the month of july?") == [3]
    # February: Rijeka only
    assert ask(matches, "who did they play in february?") == ["Rijeka"]


def test_a_month_on_dates_kept_as_text(tables: dict[str, Any]) -> None:
    days = tables["match_days"]
    # "Jul" cells: 13 Jul, 20 Jul, 27 Jul
    assert ask(days, "how many games did they play in july?") == [3]
    assert ask(days, "which opponent did they play in august?") == ["Sheriff"]


def test_two_months_or_a_side_of_a_month_are_left_alone(tables: dict[str, Any]) -> None:
    # "july or august" would need an OR of two months: no month filter rather than an empty AND
    plan = tables["match_days"].ask("how many games were played in july or august?").plan
    assert not any(f.op == "contains" for f in plan.filters)


# -- rows set aside, and cells said to be empty ------------------------------------------------------------------------


def test_besides_sets_a_row_aside(tables: dict[str, Any]) -> None:
    fights = tables["fights"]
    # the other losses: Guto Inocente, Lavar Johnson ("loss" stays a condition, Cody Goodale is set aside)
    assert ask(fights, "besides the loss to cody goodale, how many other losses were there?") == [2]
    plan = fights.ask("besides the loss to cody goodale, what other losses occurred?").plan
    assert {(f.column, f.op, f.value) for f in plan.filters} == {("Res.", "=", "Loss"), ("Opponent", "!=", "Cody Goodale")}
    # only the clause's own cell is set aside: the other American is kept by "american"
    plan = tables["swimmers"].ask("besides julia stowers who is the other american listed?").plan
    assert ("Name", "!=", "Julia Stowers") in [(f.column, f.op, f.value) for f in plan.filters]
    assert ("Nationality", "=", "United States") in [(f.column, f.op, f.value) for f in plan.filters]


def test_no_column_listed_keeps_the_empty_cells(tables: dict[str, Any]) -> None:
    album = tables["album"]
    # no producer: Shock Therapy, Horsemen
    assert sorted(ask(album, "which songs do not have a producer listed?")) == ["Horsemen", "Shock Therapy"]
    # no songwriters: Horsemen only
    assert ask(album, "how many tracks have no songwriters?") == [1]


def test_no_on_numbers_kept_as_text_is_not_an_empty_cell(tables: dict[str, Any]) -> None:
    # Points holds numbers as text ("20+1"); "no points" is not a blank-cell condition
    plan = tables["race"].ask("how many drivers had no points?").plan
    assert not any(f.op == "is_null" for f in plan.filters)


# -- a negated threshold turns round ----------------------------------------------------------------------------------


def test_not_more_than_is_at_most(tables: dict[str, Any]) -> None:
    # did not win more than 75: Hawks 75, Cubs 68, Mets 75
    assert ask(tables["records"], "how many teams did not win more than 75 games?") == [3]
    # did not score at least 10 points: 8 and 6 (the blank has no number either way)
    assert ask(tables["race"], "how many drivers did not score at least 10 points?") == [2]


def test_not_better_than_a_place_is_that_place_or_worse(tables: dict[str, Any]) -> None:
    # not better than 4th: 6th, 4th, 10th (h), 12th, 4th
    assert ask(tables["seasons"], "how many seasons did they not finish better than 4th place?") == [5]


GROUNDS = """Stadium,Capacity,City
Windsor Park,"24,734",Belfast
The Oval,"15,000",Belfast
Showgrounds,"8,000 [1]",Ballymena
Brandywell,"7,700",Derry
Seaview,"6,500",Belfast
Mourneview,"5,000",Lurgan
"""


def test_between_on_numbers_kept_as_text(tmp_path: Path) -> None:
    (tmp_path / "grounds.csv").write_text(GROUNDS, encoding="utf-8")
    grounds = shuxi.open(str(tmp_path / "grounds.csv"))
    try:
        assert grounds.schema.field("Capacity").type == "string"  # the premise: "8,000 [1]" keeps it text
        # between 6000 and 8000: 8,000 [1], 7,700, 6,500
        assert ask(grounds, "how many stadiums have a capacity between 6000 and 8000?") == [3]
    finally:
        grounds.close()


# Both team columns hold the Black Hawks; the linker must not pick one by the order of a Python set.
PLAYOFFS = """Game,Date,Visitor,Home
Game 1,13-Apr-75,Chicago Black Hawks,Buffalo Sabres
Game 2,15-Apr-75,Buffalo Sabres,Chicago Black Hawks
Game 3,17-Apr-75,Chicago Black Hawks,Buffalo Sabres
Game 4,20-Apr-75,Montreal Canadiens,Buffalo Sabres
"""


def test_part_of_a_cell_in_two_columns_goes_to_the_first_column(tmp_path: Path) -> None:
    from shuxi.ask.linking import build_index, partial_values
    from shuxi.ask.text import Question

    (tmp_path / "playoffs.csv").write_text(PLAYOFFS, encoding="utf-8")
    playoffs = shuxi.open(str(tmp_path / "playoffs.csv"))
    try:
        index = build_index(playoffs)
        [found] = partial_values(Question("when did the black hawks play?"), index, [], frozenset())
        # one cell in each column holds "black hawks": a tie, broken by the table's column order
        assert (found.column, found.alternatives) == ("Visitor", ("Home",))
        # the Visitor rows with the Black Hawks: games 1 and 3; the first is 13-Apr-75
        assert ask(playoffs, "what was the date of the first game of the black hawks?") == ["13-Apr-75"]
        # 'home' names the other column: game 2 is the one Home game of the Black Hawks
        assert ask(playoffs, "how many home games did the black hawks play?") == [1]
    finally:
        playoffs.close()


# Pos and Rank keep numbers as text ("Ret", "=4"), so "10" and "2" are also cells of those columns.
RIDERS = """Pos,Rider,Points
1,Valentino Rossi,25
2,Max Biaggi,20
3,Loris Capirossi,16
4,Carlos Checa,13
5,Alex Barros,11
6,Norick Abe,10
7,Tohru Ukawa,9
8,Shinya Nakano,8
9,Jurgen van den Goorbergh,7
10,Olivier Jacque,6
Ret,Sete Gibernau,
"""
NATIONS = """Rank,Nation,Gold,Silver,Bronze,Total
1,Norway,5,3,2,10
2,Germany,3,4,1,8
3,Austria,2,2,2,6
=4,France,1,0,3,4
=4,Italy,0,2,0,2
"""


def test_a_threshold_is_on_the_column_named_after_its_number(tmp_path: Path) -> None:
    (tmp_path / "riders.csv").write_text(RIDERS, encoding="utf-8")
    (tmp_path / "nations.csv").write_text(NATIONS, encoding="utf-8")
    riders, nations = shuxi.open(str(tmp_path / "riders.csv")), shuxi.open(str(tmp_path / "nations.csv"))
    try:
        assert riders.schema.field("Pos").type == "string"  # the premise: "Ret" keeps the places text
        # more than 10 points: 25, 20, 16, 13, 11 (not the riders placed below 10th: there are none)
        assert ask(riders, "how many riders scored more than 10 points?") == [5]
        # less than 9 points: 8, 7, 6 (the blank has no points)
        assert ask(riders, "how many riders got less than 9 points?") == [3]
        # more than 2 gold medals: Norway 5, Germany 3 (not the ranks below 2nd)
        assert ask(nations, "how many nations won more than 2 gold medals?") == [2]
        assert sorted(ask(nations, "which nations won at least 2 silver medals?")) == ["Austria", "Germany",
                                                                                     "Italy", "Norway"]
    finally:
        riders.close()
        nations.close()


# -- a lone name found inside cells ------------------------------------------------------------------------------

# A club's cup matches: the scorers of each match in one cell.
CUP = """Date,Round,Opponent,Venue,Result,Scorers
5 Jan,Round 3,Hull City,Home,2-0,"McCoist, Hateley"
26 Jan,Round 4,Dundee,Away,1-1,McCoist
30 Jan,Replay,Dundee,Home,3-1,"Durrant, Hateley (2)"
16 Feb,Round 5,Celtic,Away,0-1,
9 Mar,Quarter-final,Hearts,Home,2-1,"Durrant, Hateley"
"""
# A draft: the players' full names.
PICKS_1979 = """Round,Pick,Player,Position,College
1,12,Jeff Smith,Quarterback,Ohio State
2,40,Tom Jones,Tackle,Penn State
3,71,Jeff Walker,Linebacker,Auburn
4,98,Mike Jennings,Guard,Iowa
5,125,Bill Stone,Punter,Rice
"""


def test_a_lone_name_inside_cells_is_the_condition(tmp_path: Path) -> None:
    (tmp_path / "cup.csv").write_text(CUP, encoding="utf-8")
    (tmp_path / "picks.csv").write_text(PICKS_1979, encoding="utf-8")
    cup, picks = shuxi.open(str(tmp_path / "cup.csv")), shuxi.open(str(tmp_path / "picks.csv"))
    try:
        # Hateley scored on 5 Jan, 30 Jan and 9 Mar: 3 matches
        assert ask(cup, "how many matches did hateley score in?") == [3]
        # "Jeff" is the first name of Jeff Smith and Jeff Walker
        assert ask(picks, "how many players named jeff were drafted?") == [2]
    finally:
        cup.close()
        picks.close()


def test_beside_another_condition_a_lone_word_is_the_tables_subject(tmp_path: Path) -> None:
    # Every row is a Swecon convention; only one cell says so.
    (tmp_path / "cons.csv").write_text("Year,Name,Location\n1998,Kontur,Uppsala\n2000,Swecon 2000,Stockholm\n"
                                       "2002,Confuse,Uppsala\n2004,Eurocon,Stockholm\n", encoding="utf-8")
    cons = shuxi.open(str(tmp_path / "cons.csv"))
    try:
        # held in Uppsala: 1998 and 2002
        assert ask(cons, "how many times was swecon held in uppsala?") == [2]
    finally:
        cons.close()


def test_a_lone_word_that_names_kinds_of_rows_is_no_condition(tmp_path: Path) -> None:
    (tmp_path / "picks.csv").write_text(PICKS_1979, encoding="utf-8")
    picks = shuxi.open(str(tmp_path / "picks.csv"))
    try:
        # "players" is a plural, the rows' kind, even though no cell holds it: all 5 picks are counted
        assert ask(picks, "how many players were drafted?") == [5]
    finally:
        picks.close()


# -- a number column named around the number: ages, "a population of zero", "under the age of 25" ---------------

# A pageant's delegates.
DELEGATES = """Represent,Contestant,Age,Height,Hometown
1,Ana Cruz,19,1.70,Lima
2,Bea Diaz,21,1.75,Cusco
3,Cora Ruiz,24,1.68,Piura
4,Dina Soto,20,1.72,Tacna
5,Elsa Vega,26,1.80,Ica
6,Fina Luna,20,1.66,Puno
"""
# Communities with their population and a rank.
COMMUNITIES = """Community,Area,Population,Nightly rank
Alder Flats,12.5,0,3
Birch Cove,8.1,145,11
Cedar Hill,20.0,0,11
Dune Park,3.3,1200,2
"""


def test_ages_and_columns_named_before_of_a_number(tmp_path: Path) -> None:
    (tmp_path / "delegates.csv").write_text(DELEGATES, encoding="utf-8")
    (tmp_path / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    delegates, places = shuxi.open(str(tmp_path / "delegates.csv")), shuxi.open(str(tmp_path / "communities.csv"))
    try:
        # ages 19, 21, 24, 20, 26, 20: at least 21 are Bea, Cora, Elsa; exactly 20 are Dina and Fina
        assert ask(delegates, "how many contestants are at least 21 years old?") == [3]
        assert ask(delegates, "how many contestants are 20 years old?") == [2]
        # under the age of 21: 19, 20, 20; younger than 20: only Ana (19)
        assert ask(delegates, "how many delegates are under the age of 21?") == [3]
        assert ask(delegates, "what is the number of delegates younger than 20?") == [1]
        # Alder Flats and Cedar Hill have nobody; Birch Cove and Cedar Hill rank 11th
        assert ask(places, "how many communities have a population of zero?") == [2]
        assert ask(places, "how many communities had a nightly rank of 11?") == [2]
    finally:
        delegates.close()
        places.close()


def test_weighed_names_the_weight_column(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text("Name,Position,Height,Weight\nAl Ames,Guard,72,180\nBo Bell,Tackle,76,250\n"
                                         "Cy Cole,End,74,205\nDee Dunn,Back,70,175\n", encoding="utf-8")
    roster = shuxi.open(str(tmp_path / "roster.csv"))
    try:
        # 250 and 205 are more than 200; the lightest is Dee Dunn at 175
        assert ask(roster, "how many players weighed more than 200?") == [2]
        assert ask(roster, "which player weighed the least?") == ["Dee Dunn"]
    finally:
        roster.close()


def test_a_mistyped_than_still_compares(tmp_path: Path) -> None:
    (tmp_path / "ships.csv").write_text("Ship,Tonnage,Fate\nAnna,5200,Sunk\nBeryl,7400,Captured\nClio,9100,Sunk\n"
                                        "Dora,6900,Sunk\n", encoding="utf-8")
    ships = shuxi.open(str(tmp_path / "ships.csv"))
    try:
        # tonnages above 7,000: Beryl 7400 and Clio 9100; below 7,000: Anna and Dora
        assert ask(ships, "how many ships had more then 7,000 in tonnage?") == [2]
        assert ask(ships, "how many ships had less that 7,000 in tonnage?") == [2]
    finally:
        ships.close()


def test_of_cells_that_shorten_alike_the_one_the_question_describes(tmp_path: Path) -> None:
    (tmp_path / "race.csv").write_text('By race,White,Black\n2000 (total population),75.43,4.46\n'
                                       '2000 (Hispanic only),3.42,0.33\n2005 (total population),74.71,4.72\n'
                                       '2005 (Hispanic only),4.32,0.38\n', encoding="utf-8")
    race = shuxi.open(str(tmp_path / "race.csv"))
    try:
        # "2000" and "2005" each shorten two cells; "population" says which: 75.43 - 74.71 = 0.72
        values = ask(race, "what is the difference in white between the 2000 population and the 2005 population?")
        assert [round(v, 2) for v in values[:1]] == [0.72]
    finally:
        race.close()


# -- years and decades on columns that keep them as text ---------------------------------------------------------

# Speedway teams: the years started are text ("?" for one), and a column of dates kept as text.
TEAMS_STARTED = """Team name,Year started,First meeting
Aldershot Shots,1950,"May 6, 1950"
Belle Vue Aces,1929,"March 30, 1929"
Crystal Palace,1928,"June 9, 1928"
Hackney Wolves,1935,"April 19, 1935"
Leicester Lions,?,TBA
Norwich Stars,1946,"July 27, 1946"
"""


def test_years_and_decades_on_text_columns(tmp_path: Path) -> None:
    (tmp_path / "teams.csv").write_text(TEAMS_STARTED, encoding="utf-8")
    teams = shuxi.open(str(tmp_path / "teams.csv"))
    try:
        assert teams.schema.field("Year started").type == "string"  # the premise: "?" keeps the years text
        # started before 1940: 1929, 1928, 1935 (not the "?")
        assert ask(teams, "how many teams started before 1940?") == [3]
        # first meetings in the 1920's: 1929 and 1928; in the 40s: 1946
        assert ask(teams, "how many first meetings were in the 1920's?") == [2]
        assert ask(teams, "how many first meetings were in the 40s?") == [1]
    finally:
        teams.close()


def test_a_year_inside_dates_kept_as_text(tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text('Name,Date listed\nArnold Trail,"October 1, 1969"\nBlack House,'
                                        '"April 11, 2002"\nCoburn Mill,"March 3, 1971"\nDyer Farm,"June 9, 1968"\n'
                                        'Elm Hall,pending\n', encoding="utf-8")
    sites = shuxi.open(str(tmp_path / "sites.csv"))
    try:
        # listed before 1970: 1969 and 1968; after 1970: 2002 and 1971 (not "pending")
        assert ask(sites, "how many sites were added to the list before 1970?") == [2]
        assert ask(sites, "how many sites were added to the list after 1970?") == [2]
    finally:
        sites.close()


# -- home and away games from opponents written "at …" -----------------------------------------------------------

SCHEDULE_AT = """Date,Opponent,Result,Attendance
Sep 1,Buffalo Bills,W 35-31,60000
Sep 8,at Detroit Lions,L 10-24,51000
Sep 15,Green Bay Packers,W 21-14,58000
Sep 22,at Minnesota Vikings,W 17-13,55000
Sep 29,at Tampa Bay Buccaneers,L 3-7,42000
"""


def test_home_and_away_games_from_opponents_written_at(tmp_path: Path) -> None:
    (tmp_path / "schedule.csv").write_text(SCHEDULE_AT, encoding="utf-8")
    schedule = shuxi.open(str(tmp_path / "schedule.csv"))
    try:
        # home: Buffalo and Green Bay; on the road: the three "at" games, one of them won
        assert ask(schedule, "how many home games did they play?") == [2]
        assert ask(schedule, "how many games were played on the road?") == [3]
        assert ask(schedule, "who was the first home opponent of the season?") == ["Buffalo Bills"]
    finally:
        schedule.close()


def test_a_name_with_its_running_count_is_every_such_cell(tmp_path: Path) -> None:
    (tmp_path / "starters.csv").write_text("Season,Pitcher,Decision\n1986,Nolan Ryan,W\n1987,Mike Scott,W\n"
                                           "1988,Mike Scott (2),W\n1989,Mike Scott (3),L\n1990,Bob Knepper,L\n",
                                           encoding="utf-8")
    starters = shuxi.open(str(starters_path := tmp_path / "starters.csv"))
    try:
        assert starters_path.exists()
        # Mike Scott started 1987, 1988 and 1989: the last is 1989, three seasons in all
        assert ask(starters, "what was the last season when mike scott was the starter?") == [1989]
        assert ask(starters, "how many seasons was mike scott the starter?") == [3]
    finally:
        starters.close()


def test_a_role_named_in_full_finds_its_code(tmp_path: Path) -> None:
    (tmp_path / "senate.csv").write_text("District,Name,Party\n1,A. Crowe,Rep\n2,T. Brown,Dem\n3,J. Morrell,Dem\n"
                                         "4,D. Long,Rep\n5,E. Guillory,Dem\n", encoding="utf-8")
    (tmp_path / "draft.csv").write_text("Rnd,Player,Pos.,College\n1,Al Ames,QB,Ohio\n2,Bo Bell,F/C,Iowa\n"
                                        "3,Cy Cole,QB,Rice\n4,Dee Dunn,LB,Yale\n5,Ed Erb,F,Duke\n", encoding="utf-8")
    senate, draft = shuxi.open(str(tmp_path / "senate.csv")), shuxi.open(str(tmp_path / "draft.csv"))
    try:
        # Dem: districts 2, 3, 5
        assert ask(senate, "how many senators are democrats?") == [3]
        assert ask(senate, "who was the first republican listed?") == ["A. Crowe"]
        # QB: Al Ames and Cy Cole
        assert ask(draft, "how many drafted players were quarterbacks?") == [2]
        # the question writes the code itself and explains it: only Bo Bell is an F/C
        assert ask(draft, "how many f/c's (forward/center) are on the list?") == [1]
    finally:
        senate.close()
        draft.close()


def test_the_top_n_are_placed_n_or_better(tmp_path: Path) -> None:
    (tmp_path / "career.csv").write_text("Year,Competition,Venue,Position\n2001,Worlds,Edmonton,4th\n2002,Euros,"
                                         "Munich,12th\n2003,Worlds,Paris,2nd\n2004,Olympics,Athens,9th\n2005,Worlds,"
                                         "Helsinki,15th\n", encoding="utf-8")
    # The medal rows' ranks are blank (pictures on the page): the top three are the first three rows.
    (tmp_path / "final.csv").write_text("Rank,Name,Nationality,Time\n,Ana Ruiz,Spain,2:01\n,Beth Cole,Kenya,2:02\n"
                                        ",Cara Diaz,Spain,2:03\n4,Dana Ek,Kenya,2:04\n5,Eva Moss,Spain,2:05\n",
                                        encoding="utf-8")
    career, final = shuxi.open(str(tmp_path / "career.csv")), shuxi.open(str(tmp_path / "final.csv"))
    try:
        # places 4th, 2nd and 9th are in the top ten; 12th and 15th are not
        assert ask(career, "how many times did she place in the top ten?") == [3]
        assert ask(career, "how many top 3 finishes does she have?") == [1]
        # the first three rows: Ana Ruiz and Cara Diaz are from Spain
        assert ask(final, "how many people from spain ranked in the top 3?") == [2]
    finally:
        career.close()
        final.close()


def test_did_not_finish_reads_the_cells_that_say_so(tmp_path: Path) -> None:
    (tmp_path / "gp.csv").write_text("Pos,Driver,Constructor,Laps\n1,Kimi Raikkonen,McLaren,44\n2,Fernando Alonso,"
                                     "Renault,44\n3,Jenson Button,BAR,44\nRet,Mark Webber,Williams,38\nRet,Jarno Trulli,"
                                     "Toyota,13\n", encoding="utf-8")
    (tmp_path / "heat.csv").write_text("Rank,Athlete,Time\n1,Ana Ruiz,1:54\n2,Beth Cole,1:56\n,Cara Diaz,DNF\n,"
                                       "Dana Ek,DNS\n,Eva Moss,DNS\n", encoding="utf-8")
    gp, heat = shuxi.open(str(tmp_path / "gp.csv")), shuxi.open(str(tmp_path / "heat.csv"))
    try:
        # Webber and Trulli retired ("Ret"); Dana Ek and Eva Moss did not start ("DNS"), Cara Diaz did not finish
        assert ask(gp, "how many drivers did not finish the race?") == [2]
        assert ask(heat, "how many athletes did not start the race?") == [2]
        assert ask(heat, "how many athletes did not finish?") == [1]
    finally:
        gp.close()
        heat.close()


def test_a_hyphen_finds_a_score_written_with_a_dash(tmp_path: Path) -> None:
    (tmp_path / "friendlies.csv").write_text("Date,Opponent,Score,Competition\n1 Mar,Peru,4–1,Friendly\n5 Apr,Chile,"
                                             "0–0,Friendly\n9 Jun,Peru,4–1,Qualifier\n2 Sep,Bolivia,2–3,Friendly\n",
                                             encoding="utf-8")
    games = shuxi.open(str(tmp_path / "friendlies.csv"))
    try:
        # 4–1 on 1 Mar and 9 Jun; the only 0–0 was against Chile
        assert ask(games, "how many games had a score of 4-1?") == [2]
        assert ask(games, "who was the opponent in the only 0-0 game?") == ["Chile"]
    finally:
        games.close()


def test_a_column_of_numbers_kept_as_text_named_before_of_a_number(tmp_path: Path) -> None:
    (tmp_path / "transfers.csv").write_text("Name,Moving to,Fee\nAl Ames,Porto,\"24,000,000\"\nBo Bell,Lyon,Free\n"
                                            "Cy Cole,Braga,\"3,500,000\"\nDee Dunn,Nice,Loan\n", encoding="utf-8")
    transfers = shuxi.open(str(tmp_path / "transfers.csv"))
    try:
        assert transfers.schema.field("Fee").type == "string"  # the premise: "Free" and "Loan" keep it text
        assert ask(transfers, "who was the only player to be transferred for a fee of 24,000,000?") == ["Al Ames"]
    finally:
        transfers.close()
