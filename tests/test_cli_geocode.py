"""Tests of ``geomap geocode`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from geomap.cli import main

KEYS = ["query", "key", "name", "lat", "lon", "kind", "country", "layer", "score",
        "uncertainty_m", "ambiguous", "alternatives"]  # fmt: skip


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["geocode", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_one_object_per_name_in_order() -> None:
    code, out, err = run("--json", "Bashmaq crossing", "Koysinjaq", "outskirts of Kirkuk")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [list(r) for r in records] == [KEYS] * 3
    assert [r["key"] for r in records] == ["bashmaq", "koya", "kirkuk"]
    assert [r["query"] for r in records] == ["Bashmaq crossing", "Koysinjaq", "outskirts of Kirkuk"]
    bashmaq, koya, kirkuk = records
    assert bashmaq["kind"] == "crossing" and bashmaq["layer"] == "curated"
    assert bashmaq["alternatives"] == ["bashmaq_ir"] and bashmaq["ambiguous"] is False
    assert koya["uncertainty_m"] == 4000.0 and kirkuk["uncertainty_m"] > 12_000.0


def test_unknown_name_gives_null_key_exit_1_and_others_still_answered() -> None:
    code, out, err = run("--json", "Atlantis", "Dohuk")
    assert code == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["key"] is None and first["query"] == "Atlantis"
    assert second["key"] == "duhok"
    assert "'Atlantis': not found" in err


def test_table_shows_place_coordinates_uncertainty_layer_score_ambiguity() -> None:
    code, out, err = run("Khabur", "Erbil province", "EBL")
    assert code == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split() == ["query", "place", "lat", "lon", "uncertainty", "layer", "score",
                              "ambiguous"]  # fmt: skip
    assert len(rows) == 3
    assert "[habur]" in rows[0] and "yes: khabur_river" in rows[0] and "1.5 km" in rows[0]
    assert "Erbil governorate" in rows[1] and "80 km" in rows[1]
    assert "[erbil_airport]" in rows[2] and "36.23760" in rows[2] and "curated" in rows[2]


def test_unlocated_site_and_control_characters_in_names() -> None:
    code, out, _ = run("--json", "Kuna Masi")
    assert code == 0 and json.loads(out)["uncertainty_m"] is None
    code, out, err = run("Kuna Masi", "evil\x1b[31mname")
    assert code == 1 and "unlocated" in out
    assert "\x1b" not in err and "\\u001b" in err


def test_explain_lists_the_candidates() -> None:
    code, out, _ = run("--explain", "Khabur")
    assert code == 0
    assert "habur" in out and "khabur_river" in out and "AMBIGUOUS" in out


def test_context_option_chooses() -> None:
    code, out, _ = run("--json", "--context", "closed the Khabur border gate", "Khabur")
    assert code == 0
    record = json.loads(out)
    assert record["kind"] == "crossing" and record["ambiguous"] is False


def test_user_sites_file(tmp_path: Path) -> None:
    sites = tmp_path / "mine.csv"
    sites.write_text("key,name,aliases,lat,lon\nhill_1,Hill One,Point 1260,36.9,44.1\n",
                     encoding="utf-8")  # fmt: skip
    code, out, _ = run("--json", "--sites", str(sites), "Point 1260", "Zakho")
    assert code == 0
    assert [json.loads(line)["key"] for line in out.splitlines()] == ["hill_1", "zakho"]


def test_bad_sites_file_is_one_line_error(tmp_path: Path) -> None:
    sites = tmp_path / "bad.csv"
    sites.write_text("key,name\nx,X\n", encoding="utf-8")
    code, out, err = run("--sites", str(sites), "Zakho")
    assert code == 1 and out == ""
    assert err.startswith("geomap: error: ") and "missing column(s) lat, lon" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("--sites", str(tmp_path / "absent.csv"), "Zakho")
    assert code == 1 and "cannot read sites" in err


def test_geocode_needs_a_name_and_is_listed_in_help() -> None:
    code, _, err = run()
    assert code == 2 and "Missing argument" in err
    result = CliRunner().invoke(main, ["--help"])
    assert "geocode" in result.output
