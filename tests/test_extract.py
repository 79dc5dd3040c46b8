"""Tests of geomap.extract: types, actors, dates, places, evidence, merging, files, CLI, quality."""

from __future__ import annotations

import importlib.util
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer
from geomap._actors import actors_in
from geomap._article import article_from_html, read_article
from geomap._extract_dates import find_dates
from geomap._extract_rules import event_types
from geomap._locate import regions
from geomap._places import split_sentences
from geomap.cli import main
from geomap.errors import InputError
from geomap.events import BASE_COLUMNS, EVENT_TYPES
from geomap.extract import extract_events, extract_from_files, flag_stated_distances

ROOT = Path(__file__).resolve().parent.parent
ANNOTATED = Path(__file__).parent / "data" / "annotated"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def extract(text: str, gaz: Gazetteer, **kwargs: Any) -> Any:
    return extract_events(text, gazetteer=gaz, **kwargs)


# ----------------------------------------------------------------------------- event types


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Iranian and Iraqi troops held joint drills near Penjwen.", ["military_exercise"]),
        ("The army began a three-day exercise close to the frontier.", ["military_exercise"]),
        ("Turkey sent more troops and tanks to its bases near Batifa.", ["deployment"]),
        ("Iraqi forces took over the crossing after the vote.", ["deployment"]),
        ("Iranian artillery shelled villages around Sidakan.", ["shelling_artillery"]),
        ("Seven ballistic missiles hit the party's headquarters.", ["missile_strike"]),
        ("Turkish warplanes bombed hideouts in the mountains.", ["air_drone_strike"]),
        ("Border guards exchanged fire with smugglers overnight.", ["ground_clash"]),
        ("Iran shut the Bashmaq and Parvez Khan crossings on Sunday.", ["border_closure"]),
        ("Baghdad imposed a ban on international flights to Erbil.", ["airspace_closure"]),
        ("Iraq and Iran signed a border security agreement.", ["agreement"]),
        ("A new accord between the two was signed in Ankara.", ["agreement"]),
        ("The chiefs of staff met in Tehran to discuss the border.", ["meeting"]),
        ("The ministry warned the groups to leave the area.", ["statement"]),
        ("Rockets and kamikaze drones hit the camp.", ["missile_strike", "air_drone_strike"]),
        ("Exports of cement rose by a fifth this year.", []),
        ("The artillery units stayed in their barracks.", []),
    ],
)
def test_event_types(sentence: str, expected: list[str]) -> None:
    assert event_types(sentence) == expected
    assert set(expected) <= set(EVENT_TYPES)


def test_hedged_and_background_sentences_give_no_event(gaz: Gazetteer) -> None:
    text = (
        "The general proposed joint drills near Penjwen.\n"
        "Officials denied that troops were deployed to Sidakan.\n"
        "Both armies shelled the valley near Penjwen during the Iran–Iraq war.\n"
        "Ankara threatened to close the crossing at Zakho if the vote went ahead."
    )
    assert len(extract(text, gaz)) == 0


# ----------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Islamic Revolutionary Guard Corps fired at PDKI camps.", ["IRGC", "KDPI/PDKI"]),
        (
            "Revolutionary Guards struck the Democratic Party of Iranian Kurdistan.",
            ["IRGC", "KDPI/PDKI"],
        ),
        ("Peshmerga and Kurdistan Regional Government officials met.", ["KRG/Peshmerga"]),
        ("The Kurdistan Workers' Party and PJAK denied it.", ["PKK", "PJAK"]),
        ("PAK and Komala fighters left the camp.", ["PAK", "Komala"]),
        ("The Popular Mobilization Forces and the Hashd al-Shaabi", ["Hashd al-Shaabi"]),
        ("Iranian Kurdish opposition groups were targeted.", ["Iranian Kurdish groups"]),
        ("Turkish and Iraqi officers met; Tehran protested.", ["Turkey", "Iraq", "Iran"]),
        ("The pak of cards and the krg file", []),
    ],
)
def test_actor_names_are_normalised(sentence: str, expected: list[str]) -> None:
    assert actors_in(sentence) == expected


def test_a_capital_after_a_preposition_is_a_place_not_an_actor(gaz: Gazetteer) -> None:
    events = extract("Iraqi and Iranian generals met in Tehran on 27 September 2017.", gaz)
    assert events.loc[0, "site"] == "tehran"
    assert events.loc[0, "actors"] == ["Iraq", "Iran"]


@pytest.mark.parametrize(
    ("text", "site", "actors"),
    [
        ("Rockets struck Baghdad on 1 May 2020.", "baghdad", ["Iraq"]),
        ("Tehran held drills near Marivan on 2 May 2020.", "marivan", ["Iran"]),
        ("Ankara's troops deployed to Zakho on 2 May 2020.", "zakho", ["Turkey"]),
    ],
)
def test_a_capital_is_a_place_only_where_the_text_makes_it_one(
    text: str, site: str, actors: list[str], gaz: Gazetteer
) -> None:
    events = extract(text, gaz)
    assert events["site"].tolist() == [site]
    assert events.loc[0, "actors"] == actors


# ----------------------------------------------------------------------------- dates


def _dates(sentence: str, published: str | None) -> list[tuple[str, str]]:
    from geomap._extract_dates import parse_published

    return [m.value for m in find_dates(sentence, parse_published(published))]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Drills began on 2 October 2017.", None, [("2017-10-02", "day")]),
        ("Drills began on October 2, 2017.", None, [("2017-10-02", "day")]),
        ("Drills began on 2017-10-02.", None, [("2017-10-02", "day")]),
        ("Drills began in October 2017.", None, [("2017-10-01", "month")]),
        ("Drills began in 2017.", None, [("2017-01-01", "year")]),
        ("Drills began on Monday.", "2017-10-04", [("2017-10-02", "day")]),
        ("Drills began on Monday.", None, []),
        ("Drills began yesterday.", "2017-10-04", [("2017-10-03", "day")]),
        ("Drills began yesterday.", None, []),
        ("Drills began two days ago.", "2017-10-04", [("2017-10-02", "day")]),
        ("Drills began last week.", "2017-10-19", [("2017-10-01", "month")]),
        ("Drills began last week.", "2017-10-04", [("2017-01-01", "year")]),
        ("Drills began last month.", "2017-10-04", [("2017-09-01", "month")]),
        ("Drills began on March 19.", "2023-12-06", [("2023-03-19", "day")]),
        ("Drills began on December 19.", "2023-12-06", [("2022-12-19", "day")]),
        ("Drills began on March 19.", None, []),
        ("Drills will be held soon, he said on Saturday.", "2017-10-04", []),
        ("Iran may hold drills.", None, []),
    ],
)
def test_dates(sentence: str, published: str | None, expected: list[tuple[str, str]]) -> None:
    assert _dates(sentence, published) == expected


def test_relative_dates_resolve_only_with_a_publication_date(gaz: Gazetteer) -> None:
    text = "Iranian artillery shelled villages near Sidakan yesterday."
    with_date = extract(text, gaz, published="2022-09-29")
    without = extract(text, gaz)
    assert (with_date.loc[0, "date"], with_date.loc[0, "date_precision"]) == ("2022-09-28", "day")
    assert without.loc[0, "date"] is None and without.loc[0, "date_precision"] is None


# ----------------------------------------------------------------------------- places, evidence


def test_evidence_offsets_point_at_the_sentence(gaz: Gazetteer) -> None:
    text = (
        "Iraq and Iran held talks on trade.\n\n"
        "Turkish jets struck targets in the Qandil mountains on 14 June 2021. "
        "Residents fled. Kamikaze drones hit a camp near Koya on 15 June 2021."
    )
    events = extract(text, gaz, article="report.txt")
    assert sorted(events["site"]) == ["koya", "qandil"]
    for _, row in events.iterrows():
        start, end = row["evidence_start"], row["evidence_end"]
        assert text[start:end] == row["evidence"]
        assert row["evidence"].endswith(".") and row["place"].split()[-1] in row["evidence"]
        assert row["article"] == "report.txt"
        assert row["sources"][0]["quote"] == row["evidence"]
    assert list(events.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert events.crs.to_epsg() == 4326


def test_stated_distance(gaz: Gazetteer) -> None:
    events = extract("Units held drills at the Bashmaq crossing, 250 metres from the border.", gaz)
    assert float(events.loc[0, "stated_distance_m"]) == 250.0
    events = extract("Turkish troops set up a base near Batifa, 15 km inside the border.", gaz)
    assert float(events.loc[0, "stated_distance_m"]) == 15_000.0
    events = extract("Units held drills at the Bashmaq crossing.", gaz)
    assert events["stated_distance_m"].isna().all()


def test_stated_distance_is_compared_with_the_computed_one(gaz: Gazetteer) -> None:
    from geomap.classification import classify

    text = (
        "Units held drills at the Bashmakh crossing, 250 metres from the border.\n"
        "Troops held drills near Erbil, 300 metres from the border."
    )
    events = flag_stated_distances(classify(extract(text, gaz)))
    flags = dict(zip(events["site"], events["distance_disagrees"], strict=True))
    assert flags == {"bashmaq": False, "erbil": True}


def test_one_event_per_place_type_and_date(gaz: Gazetteer) -> None:
    text = (
        "Turkish jets struck the Gara mountain range on 1 May 2020. "
        "The jets struck Gara again on 1 May 2020, the ministry said. "
        "Jets struck Gara on 3 May 2020."
    )
    events = extract(text, gaz)
    assert sorted(events["date"]) == ["2020-05-01", "2020-05-03"]
    first = events[events["date"] == "2020-05-01"].iloc[0]
    assert len(first["sources"]) == 2


def test_a_site_without_coordinates_is_kept_with_its_problem(gaz: Gazetteer) -> None:
    events = extract("Iran closed the Pshta crossing on 3 March 2020.", gaz)
    row = events.iloc[0]
    expected = ("pshta", "border_closure", "2020-03-03")
    assert (row["site"], row["event_type"], row["date"]) == expected
    assert row.geometry is None and row["location_source"] is None
    assert "no coordinate" in row["problem"]


def test_region_only_places_are_uncertain(gaz: Gazetteer) -> None:
    from geomap.classification import classify

    text = (
        "Iranian drones struck camps in the Kurdistan Region on 14 November 2022.\n"
        "Turkish jets bombed targets in northern Iraq on 2 May 2023.\n"
        "Iran and Iraq held joint drills on the Iran–KRG border on 2 October 2017."
    )
    events = classify(extract(text, gaz))
    assert sorted(events["site"]) == ["iran_krg_border", "kurdistan_region", "northern_iraq"]
    assert (events["uncertainty_m"] >= 100_000).all()
    assert not events["band_certain"].astype(bool).any()


def test_region_circles_cover_their_frontier_segments() -> None:
    from pyproj import Geod
    from shapely import get_coordinates

    from geomap.frontier import load_frontier

    geod = Geod(ellps="WGS84")
    segments = load_frontier().segments.set_index("segment").geometry
    for key, segment in (("iran_krg_border", "IR-KRG"), ("turkey_krg_border", "TR-KRG")):
        region = regions()[key]
        coords = get_coordinates(segments[segment])
        n = len(coords)
        _, _, dist = geod.inv([region.lon] * n, [region.lat] * n, coords[:, 0], coords[:, 1])
        assert max(dist) <= region.radius_m


def test_a_sentence_that_continues_an_event_adds_to_it(gaz: Gazetteer) -> None:
    text = (
        "The joint drills were held at the Bashmaq crossing on Monday.\n"
        '"Units began the drills on Monday with tanks only 250 metres from the border," '
        "a customs officer said."
    )
    events = extract(text, gaz, published="2017-10-03")
    assert len(events) == 1
    assert float(events.loc[0, "stated_distance_m"]) == 250.0
    assert len(events.loc[0, "sources"]) == 2


def test_a_day_before_a_dated_vote(gaz: Gazetteer) -> None:
    dated = (
        "The referendum was held on Monday and drew a large turnout.\n"
        "Iran halted flights to Erbil airport a day before the referendum."
    )
    events = extract(dated, gaz, published="2017-09-29")
    assert events[["site", "event_type", "date"]].values.tolist() == [
        ["erbil_airport", "airspace_closure", "2017-09-24"]
    ]
    undated = "Iran halted flights to Erbil airport a day before the referendum."
    assert extract(undated, gaz, published="2017-09-29")["date"].isna().all()


def test_a_vote_day_is_not_taken_from_a_sentence_about_an_event(gaz: Gazetteer) -> None:
    text = (
        "Iraq closed the Bashmaq crossing on Friday, after the vote on Monday.\n"
        "Turkey halted flights to Erbil airport a day before the vote."
    )
    events = extract(text, gaz, published="2017-09-30").set_index("event_type")
    assert events.loc["border_closure", "date"] == "2017-09-29"
    assert events.loc[["airspace_closure"], "date"].isna().all()


def test_a_statement_date_is_not_the_date_of_what_had_happened(gaz: Gazetteer) -> None:
    said = "The KDPI said on Monday that Iranian drones had struck its camp near Koya."
    assert extract(said, gaz, published="2022-11-16")["date"].isna().all()
    same_day = (
        "The KDPI said on Monday that Iranian drones had struck its camp near Koya overnight."
    )
    assert extract(same_day, gaz, published="2022-11-16")["date"].tolist() == ["2022-11-14"]
    own_date = (
        "The KDPI said on Monday that Iranian drones had struck its camp near Koya on Sunday."
    )
    assert extract(own_date, gaz, published="2022-11-16")["date"].tolist() == ["2022-11-13"]


def test_the_meetings_of_a_visit_take_its_city(gaz: Gazetteer) -> None:
    text = (
        "Iran's foreign minister met Iraqi leaders in Baghdad on 2 March 2021.\n"
        "In a meeting with the speaker on 3 March, the minister spoke about trade.\n"
        "In a meeting with the Iraqi prime minister on 20 April, he spoke about the border."
    )
    events = extract(text, gaz, published="2021-03-05")
    assert sorted(zip(events["site"], events["date"], strict=True)) == [
        ("baghdad", "2021-03-02"),
        ("baghdad", "2021-03-03"),
    ]
    assert (events["event_type"] == "meeting").all()


def test_sentences_split_with_offsets() -> None:
    text = 'Gen. Bagheri spoke. Mr. Araji left!\nA new line "Quoted." Last'
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Gen. Bagheri spoke.",
        "Mr. Araji left!",
        'A new line "Quoted."',
        "Last",
    ]


@pytest.mark.parametrize("char", ["a", "A", "-", " ", "1", ".", "'", "A ", "near ", "Qandil "])
def test_no_catastrophic_backtracking(char: str, gaz: Gazetteer) -> None:
    text = "Drills " + char * 100_000 + " near Penjwen."

    def too_slow(signum: int, frame: Any) -> None:
        raise TimeoutError("extraction did not finish")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        events = extract(text, gaz)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert set(events["event_type"]) <= {"military_exercise"}


# ----------------------------------------------------------------------------- files and merging


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(
        "Iranian artillery shelled villages near Sidakan on 28 September 2022.\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text(
        "Villages near Sidakan were shelled by Iranian artillery on 28 September 2022, "
        "the mayor said.\n",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text("Tomato prices rose in Erbil this year.\n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "dir.txt").mkdir()
    return tmp_path


def test_the_same_event_from_two_articles_merges(articles: Path, gaz: Gazetteer) -> None:
    events = extract_from_files([articles / "a.txt", articles / "b.md"], gazetteer=gaz)
    assert len(events) == 1
    row = events.iloc[0]
    assert (row["site"], row["event_type"], row["date"]) == (
        "sidakan",
        "shelling_artillery",
        "2022-09-28",
    )
    assert [s["outlet"] for s in row["sources"]] == ["a.txt", "b.md"]
    assert row["article"] == "a.txt; b.md"
    assert all(s["quote"] for s in row["sources"])


def test_unreadable_files_are_reported_and_the_others_go_through(
    articles: Path, gaz: Gazetteer
) -> None:
    failures: list[str] = []
    empty: list[str] = []
    paths = [articles / n for n in ("bin.txt", "a.txt", "dir.txt", "missing.txt", "c.txt")]
    events = extract_from_files(paths, gazetteer=gaz, failures=failures, empty=empty)
    assert len(events) == 1
    assert [f.split(": ", 1)[1] for f in failures] == [
        "binary file, not a text or HTML article",
        "is a directory, not an article",
        "no such file",
    ]
    assert all("\n" not in f for f in failures)
    assert empty == [str(articles / "c.txt")]
    with pytest.raises(InputError, match="binary"):
        extract_from_files([articles / "bin.txt"], gazetteer=gaz)


def test_text_in_other_encodings(tmp_path: Path, gaz: Gazetteer) -> None:
    text = (
        "Iranian artillery shelled villages near Sidakan on 28 September 2022 – a “heavy” attack."
    )
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    for name in ("cp.txt", "u16.txt"):
        assert read_article(tmp_path / name).text == text
    events = extract_from_files([tmp_path / "cp.txt", tmp_path / "u16.txt"], gazetteer=gaz)
    assert len(events) == 1 and len(events.loc[0, "sources"]) == 2


# ----------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html><head><title>Strikes near Koya</title>
<meta property="article:published_time" content="2022-11-15T07:30:00+03:00">
<link rel="canonical" href="https://news.example/strikes-koya"></head>
<body><nav><a href="/">Home</a> Drills near Penjwen were cancelled.</nav>
<article><h1>Strikes near Koya</h1>
<p>The Revolutionary Guards fired missiles at the headquarters of the KDPI in Koya on Monday,
local officials said.</p>
<p>The party said the attack caused heavy damage to its offices and to nearby houses of civilians
who had lived in the town for many years.</p></article>
<footer>Subscribe to our newsletter. Contact us.</footer></body></html>"""


def test_html_article_text_and_meta_date(tmp_path: Path, gaz: Gazetteer) -> None:
    path = tmp_path / "koya.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_article(path)
    assert str(article.published) == "2022-11-15"
    assert article.url == "https://news.example/strikes-koya"
    assert "Home" not in article.text and "Koya on Monday" in article.text
    events = extract_from_files([path], gazetteer=gaz)
    assert events[["site", "event_type", "date"]].values.tolist() == [
        ["koya", "missile_strike", "2022-11-14"]
    ]
    assert events.loc[0, "sources"][0]["url"] == "https://news.example/strikes-koya"
    assert events.loc[0, "actors"] == ["IRGC", "KDPI/PDKI"]


def test_html_date_from_a_dateline_and_published_option_wins() -> None:
    page = (
        "<html><body><div><p>By A. Writer, October 4, 2017</p>"
        "<p>Troops moved tanks to the border yesterday.</p></div></body></html>"
    )
    assert str(article_from_html(page, name="x.html").published) == "2017-10-04"
    assert (
        str(article_from_html(page, name="x.html", published="2017-10-10").published)
        == "2017-10-10"
    )


# ----------------------------------------------------------------------------- CLI


REGION_TEXT = "Iranian drones struck camps in the Kurdistan Region on 14 November 2022.\n"


def test_cli_extract_writes_classified_geojson(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REGION_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt")])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    props = collection["features"][0]["properties"]
    assert props["event_type"] == "air_drone_strike" and props["site"] == "kurdistan_region"
    assert props["band_certain"] is False
    assert props["evidence"] == REGION_TEXT.strip()


def test_cli_extract_failures_empty_articles_and_csv(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REGION_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("Nothing happened today.\n", encoding="utf-8")
    (tmp_path / "bin.html").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out.csv"
    args = [
        "extract",
        str(tmp_path / "a.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "bin.html"),
        "--published",
        "2022-11-15",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"geomap: error: {tmp_path / 'bin.html'}: binary file" in result.stderr
    assert f"{tmp_path / 'empty.txt'}: no events found" in result.stderr
    assert "Traceback" not in result.output
    assert "air_drone_strike" in out.read_text(encoding="utf-8")


def test_cli_extract_reads_standard_input() -> None:
    result = CliRunner().invoke(main, ["extract", "-"], input=REGION_TEXT)
    assert result.exit_code == 0, result.output
    props = json.loads(result.stdout)["features"][0]["properties"]
    assert (props["site"], props["article"]) == ("kurdistan_region", "<stdin>")


def test_cli_extract_rejects_a_bad_published_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REGION_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt"), "--published", "soon"])
    assert result.exit_code == 2


def test_read_inputs_mixes_tables_and_articles(tmp_path: Path, gaz: Gazetteer) -> None:
    from geomap.readers import read_inputs

    (tmp_path / "a.txt").write_text(REGION_TEXT, encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,lon,lat,event_type\nx,45.9,35.6,drills\n", encoding="utf-8")
    events, failures = read_inputs(
        [str(tmp_path / "t.csv"), str(tmp_path / "a.txt")], gazetteer=gaz
    )
    assert failures == []
    assert sorted(events["event_type"]) == ["air_drone_strike", "military_exercise"]


# ----------------------------------------------------------------------------- quality floor


def _evaluation() -> Any:
    if "eval_extract" in sys.modules:
        return sys.modules["eval_extract"]
    spec = importlib.util.spec_from_file_location(
        "eval_extract", ROOT / "benchmarks" / "eval_extract.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extract"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality(gaz: Gazetteer) -> Iterator[Any]:
    evaluation = _evaluation()
    documents = evaluation.parse_annotations(ANNOTATED / "paragraphs.txt")
    assert len(documents) >= 100
    yield evaluation.score(documents, gaz)


def test_quality_floor_on_the_annotated_paragraphs(quality: Any) -> None:
    assert quality.f1 >= 0.85, quality.errors
    assert quality.precision >= 0.85, quality.errors
    assert quality.dates_right / quality.dates_stated >= 0.85, quality.errors


def test_quality_floor_on_the_held_out_paragraphs(gaz: Gazetteer) -> None:
    evaluation = _evaluation()
    result = evaluation.score(evaluation.parse_annotations(ANNOTATED / "heldout.txt"), gaz)
    assert result.f1 >= 0.85, result.errors
    assert result.dates_right / result.dates_stated >= 0.85, result.errors


def test_the_evaluation_counts_misses_and_inventions(gaz: Gazetteer) -> None:
    evaluation = _evaluation()
    doc = evaluation.Document(
        "x",
        None,
        "Turkish jets struck Zakho on 1 May 2020.",
        [evaluation.Expected("qandil", "air_drone_strike", "2020-05-01", frozenset({"Turkey"}))],
    )
    result = evaluation.score([doc], gaz)
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)
    assert result.f1 == 0.0


def test_the_extraction_benchmarks_run(capsys: pytest.CaptureFixture[str]) -> None:
    evaluation = _evaluation()
    spec = importlib.util.spec_from_file_location(
        "bench_extract", ROOT / "benchmarks" / "bench_extract.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--articles", "3", "--size", "2000"]) == 0
    assert "articles/s" in capsys.readouterr().out
    assert evaluation.main([]) == 0
    out = capsys.readouterr().out
    assert "paragraphs: (site, event_type) precision" in out and "held-out" in out
