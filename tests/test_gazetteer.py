"""Tests of the gazetteer: normalisation, layers, disambiguation, traps, context, user files."""

from __future__ import annotations

import csv
import io
import math
import warnings
from pathlib import Path

import pytest

import gazetteer
from gazetteer import Gazetteer, GazetteerError, Match, Site, SitesFileError
from gazetteer.catalog import REGION, in_region, load_layer, read_sites_csv
from gazetteer.names import NameIndex, edit_distance, fold, phonetic_key, skeleton

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def key_of(match: Match | None) -> str | None:
    return None if match is None else match.site.key


def distance_m(a: Site, b: Site) -> float:
    from geographiclib.geodesic import Geodesic

    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return float(Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"])


def within_uncertainty(match: Match | None, expected: Site) -> bool:
    """The answer's point lies inside the expected site's uncertainty circle."""
    if match is None:
        return False
    if not expected.is_located:
        return match.site.key == expected.key
    return match.site.is_located and distance_m(match.site, expected) <= expected.uncertainty_m


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khabur", "Habur"), ("Xakurk", "Hakurk"), ("Bashmaq", "Bashmagh"), ("Qandil", "Kandil"),
        ("Cizre", "Jizre"), ("Şemdinli", "Shemdinli"), ("Çoman", "Choman"), ("Parwez", "Parvez"),
        ("Kanî Masê", "Kani Mase"), ("Amêdî", "Amedi"), ("Dûhok", "Duhok"),
        ("Amadiyah", "Amadia"), ("Oshnaviyeh", "Oshnavieh"), ("Kirkouk", "Kirkuk"),
        ("Koy Sanjaq", "Koysanjaq"), ("al-Mundhiriya", "Mundhiriya"),
        ("Qasr-e Shirin", "Qasre Shirin"),
        ("Ibrahim al-Khalil", "Ibrahim Khalil"), ("the Qandil", "Qandil"), ("Ba'qubah", "Baqubah"),
        ("Baʿqubah", "Ba’qubah"), ("ŞIRNAK", "şırnak"),
    ],
)  # fmt: skip
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Kani Masi", "Kuna Masi"), ("Amedi", "Ramadi"), ("Kele", "Kalak"), ("Zap", "Zab")]
)
def test_different_places_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_fold_keeps_other_scripts_and_drops_punctuation() -> None:
    assert fold("إبراهيم الخليل") == fold("ابراهيم الخليل")
    assert fold("Penjwen–Bashmaq crossing") == "penjwen bashmaq crossing"
    assert fold("") == "" and phonetic_key("---") == ""


def test_skeleton_and_edit_distance() -> None:
    assert skeleton(phonetic_key("Koysinjaq")) == skeleton(phonetic_key("Koysanjaq"))
    assert edit_distance("kirkuk", "kirkuk") == 0
    assert edit_distance("abcdef", "abdcef") == 1  # transposition
    assert edit_distance("a", "abcdefgh", limit=2) == 3


def test_name_index_exact_and_fuzzy() -> None:
    index: NameIndex[int] = NameIndex()
    index.extend([("Chamchamal", 1), ("Darbandikhan", 2)])
    index.add("Kele", 3, fuzzy=False)
    assert len(index) == 3
    assert [e.value for e in index.exact("Çemçemal")] == []
    assert [(e.value, d) for e, d in index.fuzzy("Chamchamall")] == []  # doubled: exact key
    assert [e.value for e in index.exact("Chamchamall")] == [1]
    assert [(e.value, d) for e, d in index.fuzzy("Darbandikan")] == [(2, 1)]
    assert index.fuzzy("Kelle") == []  # kept out of fuzzy lookups
    assert index.fuzzy("ﻛﺮﻛﻮﻙ") == []  # other scripts: exact only


# ----------------------------------------------------------------------------- layers


def test_packaged_layers_load() -> None:
    curated, geonames, airports = (load_layer(x) for x in ("curated", "geonames", "airports"))
    assert len(curated) >= 75
    assert 500 <= len(geonames) <= 1500
    assert 20 <= len(airports) <= 60
    assert all(in_region(s.lon, s.lat) for s in (*geonames, *airports))
    assert {s.country for s in geonames} <= {"IQ", "IR", "TR", "SY"}
    assert all((s.population or 0) >= 500 for s in geonames)
    penjwen = next(s for s in geonames if s.key == "geonames:98012")
    assert "Penjwen" in penjwen.aliases or "Penjwin" in penjwen.aliases
    assert {"EBL", "ORER"} <= {a for s in airports for a in s.aliases}
    unlocated = [s for s in curated if not s.is_located]
    assert unlocated and all(math.isnan(s.uncertainty_m) for s in unlocated)


def test_importing_the_package_is_cheap() -> None:
    import subprocess
    import sys

    code = ("import sys, gazetteer; heavy = {'gazetteer.resolver', 'gazetteer.catalog', 'geopy',"
            " 'pandas'}; print(sorted(heavy & set(sys.modules)))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert gazetteer.Gazetteer is Gazetteer
    with pytest.raises(AttributeError):
        _ = gazetteer.NoSuchThing  # type: ignore[attr-defined]


def test_unknown_layer_is_refused() -> None:
    with pytest.raises(GazetteerError, match="unknown layer"):
        Gazetteer(layers=("curated", "atlas"))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- curated names


def curated_spellings() -> list[tuple[Site, str]]:
    return [
        (site, name)
        for site in load_layer("curated")
        for name in (site.name, *site.aliases, *site.native_names)
    ]


def test_every_curated_name_and_alias_resolves_within_its_uncertainty(gaz: Gazetteer) -> None:
    """Each name, alias and native name lands inside its own site's uncertainty circle.

    A name that two curated sites share (the two sides of a crossing, "Khabur"
    for the gate and the river) may answer with the other one; it must then be
    the same place or be flagged ambiguous.
    """
    misses = []
    for site, name in curated_spellings():
        match = gaz.resolve(name)
        if match is None:
            misses.append((site.key, name, None))
            continue
        if match.site.key == site.key or within_uncertainty(match, site):
            continue
        shared = phonetic_key(name) in {phonetic_key(n) for n in (match.site.name,
                                                                 *match.site.aliases)}
        paired = site.key == match.site.paired_site or match.site.key == site.paired_site
        if shared and (paired or (match.ambiguous and site in match.alternatives)):
            continue
        misses.append((site.key, name, match.site.key))
    assert misses == []


def test_most_curated_spellings_answer_their_own_site(gaz: Gazetteer) -> None:
    pairs = curated_spellings()
    own = sum(key_of(gaz.resolve(name)) == site.key for site, name in pairs)
    assert own / len(pairs) > 0.95


def test_news_spellings_resolve_within_uncertainty(gaz: Gazetteer) -> None:
    with (DATA / "spellings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 100
    wrong = []
    for row in rows:
        expected = gaz.site(row["key"])
        match = gaz.resolve(row["spelling"])
        if key_of(match) != row["key"] or not within_uncertainty(match, expected):
            wrong.append((row["spelling"], row["key"], key_of(match)))
    assert wrong == []


# ----------------------------------------------------------------------------- traps


def test_bashmaq_is_the_border_crossing_not_a_turkish_town(gaz: Gazetteer) -> None:
    for name in ("Bashmaq", "Bashmaq crossing", "Basmak", "Bashmagh"):
        match = gaz.resolve(name)
        assert match is not None and match.site.kind == "crossing", name
        assert match.site.country in ("IQ", "IR") and match.layer == "curated"
    assert gaz.resolve("Başak") is None  # the Turkish town is 531 km away, outside the region


def test_amedi_is_not_ramadi(gaz: Gazetteer) -> None:
    assert key_of(gaz.resolve("Amedi")) == "amedi"
    assert key_of(gaz.resolve("Amadi")) == "amedi"
    ramadi = gaz.resolve("Ramadi")
    assert ramadi is not None and ramadi.site.key != "amedi" and ramadi.site.name == "Ramadi"
    assert key_of(gaz.resolve("Ramady")) != "amedi"


def test_kani_masi_is_not_kuna_masi(gaz: Gazetteer) -> None:
    assert key_of(gaz.resolve("Kani Masi")) == "kani_masi"
    assert key_of(gaz.resolve("Kuna Masi")) == "kuna_masi"
    for near_miss in ("Kuna Mase", "Kone Mase", "Kanu Masi", "Kana Masi"):
        assert key_of(gaz.resolve(near_miss)) not in ("kani_masi", "kuna_masi"), near_miss


def test_zap_is_only_an_area(gaz: Gazetteer) -> None:
    for name in ("Zap", "Zab", "Zap region", "the Zap"):
        match = gaz.resolve(name)
        assert match is not None and match.site.key == "zap", name
        assert match.site.kind == "area" and match.uncertainty_m >= 20_000
    assert key_of(gaz.resolve("Zapp")) == "zap"  # doubled letter: same key, not fuzzy
    assert gaz.resolve("Zep") is None


def test_kele_and_kalar_match_exactly_only(gaz: Gazetteer) -> None:
    assert key_of(gaz.resolve("Kele crossing")) == "kele"
    assert key_of(gaz.resolve("Kalar")) == "kalar"
    for name in ("Kalak", "Kelek", "Kilis", "Keles", "Kalare"):
        assert key_of(gaz.resolve(name)) not in ("kele", "kele_ir", "kalar"), name


def test_no_fuzzy_match_for_short_names(gaz: Gazetteer) -> None:
    assert gaz.resolve("Kalr") is None  # 4 letters: Kalar only by exact spelling
    assert gaz.resolve("Zakh") is None
    assert gaz.resolve("Banee") is not None  # doubled letter is an exact key, not fuzzy


def test_fuzzy_match_only_within_the_region(gaz: Gazetteer) -> None:
    match = gaz.resolve("Chamchamel")
    assert match is not None and match.site.key == "chamchamal" and match.score < 1
    assert gaz.resolve("Tehran").site.key == "tehran"  # exact names outside the region answer
    assert gaz.resolve("Tehrin") is None  # but misspelt they do not
    assert not in_region(51.4, 35.7) and REGION[0] < 45 < REGION[2]


def test_sardasht_is_the_one_in_west_azerbaijan(gaz: Gazetteer) -> None:
    match = gaz.resolve("Sardasht")
    assert match is not None and match.site.country == "IR" and match.site.lat is not None
    assert abs(match.site.lat - 36.155) < 0.05


def test_khosravi_faces_mundhiriya_not_the_krg(gaz: Gazetteer) -> None:
    khosravi = gaz.resolve("Khosravi")
    assert khosravi is not None and khosravi.site.paired_site == "mundhiriya"
    assert key_of(gaz.resolve("Parviz Khan crossing")) in ("parvez_khan", "parvez_khan_ir")


# ----------------------------------------------------------------------------- disambiguation


def test_khabur_alone_is_ambiguous_and_context_decides(gaz: Gazetteer) -> None:
    bare = gaz.resolve("Khabur")
    assert bare is not None and bare.ambiguous and bare.alternatives
    assert key_of(gaz.resolve("Khabur crossing")) == "ibrahim_khalil"
    assert not gaz.resolve("Khabur crossing").ambiguous  # type: ignore[union-attr]
    gate = gaz.resolve("Habur border post")
    assert gate is not None and gate.site.kind == "crossing" and not gate.ambiguous
    river = gaz.resolve("Khabur river")
    assert river is not None and river.site.kind == "river"
    assert key_of(gaz.resolve("Fishkhabur")) == "faysh_khabur"


def test_context_text_next_to_the_name_chooses(gaz: Gazetteer) -> None:
    text = "Turkish troops closed the Khabur border gate on Monday after shelling."
    match = gaz.resolve("Khabur", context=text)
    assert match is not None and match.site.kind == "crossing" and not match.ambiguous
    river = gaz.resolve("Khabur", context="a body was found in the Khabur river near Zakho")
    assert river is not None and river.site.key == "khabur_river"


def test_outskirts_and_near_widen_the_uncertainty(gaz: Gazetteer) -> None:
    city = gaz.resolve("Kirkuk")
    assert city is not None
    for name in ("outskirts of Kirkuk", "near Kirkuk", "the vicinity of Kirkuk"):
        wide = gaz.resolve(name)
        assert wide is not None and wide.site == city.site, name
        assert wide.uncertainty_m > city.uncertainty_m
    via_context = gaz.resolve("Kirkuk", context="clashes on the outskirts of Kirkuk at dawn")
    assert via_context is not None and via_context.uncertainty_m > city.uncertainty_m
    far = gaz.resolve("Kirkuk", context="Kirkuk officials met. Later, fighting near Tuz.")
    assert far is not None and far.uncertainty_m == city.uncertainty_m


@pytest.mark.parametrize(
    ("name", "key"),
    [("Erbil province", "erbil"), ("province of Erbil", "erbil"),
     ("Sulaymaniyah governorate", "sulaymaniyah"), ("Duhok Governorate", "duhok")],
)  # fmt: skip
def test_province_means_the_governorate(gaz: Gazetteer, name: str, key: str) -> None:
    match = gaz.resolve(name)
    assert match is not None and match.site.kind == "governorate"
    assert match.site.key == f"{key}:governorate"
    assert match.uncertainty_m >= 80_000 > gaz.site(key).uncertainty_m
    assert match.site.lat == gaz.site(key).lat


def test_governorate_of_a_town_is_centred_on_its_capital(gaz: Gazetteer) -> None:
    match = gaz.resolve("Kalar province")
    assert match is not None and match.site.name == "Sulaymaniyah governorate"
    assert match.site.lat == gaz.site("sulaymaniyah").lat
    mosul = gaz.resolve("Mosul governorate")
    assert mosul is not None and mosul.layer == "geonames"
    assert mosul.site.name == "Mosul governorate"


def test_district_camp_mountain_village_words(gaz: Gazetteer) -> None:
    county = gaz.resolve("Sardasht county")
    assert county is not None and county.site.key == "sardasht" and county.uncertainty_m >= 25_000
    soran = gaz.resolve("Soran district")
    assert soran is not None and soran.site.key == "soran" and soran.uncertainty_m >= 25_000
    camp = gaz.resolve("Sherawa camp")
    assert camp is not None and camp.site.key == "sherawa"
    mountain = gaz.resolve("Qandil mountain")
    assert mountain is not None and mountain.site.kind == "area"
    village = gaz.resolve("Kani Masi village")
    assert village is not None and village.site.key == "kani_masi"


def test_crossing_words_after_a_town_mean_its_crossing(gaz: Gazetteer) -> None:
    for name, key in (("Penjwen crossing", "bashmaq"), ("Marivan border", "bashmaq_ir"),
                      ("Piranshahr border", "tamarchin"), ("Khanaqin border", "mundhiriya")):
        match = gaz.resolve(name)
        assert match is not None and match.site.key == key, name
        assert match.site.kind == "crossing" and not match.ambiguous and match.score < 0.95
        assert match.alternatives and match.alternatives[0].kind != "crossing"
    baneh = gaz.resolve("Baneh border")  # its crossing, Sayran Ban, has no coordinate
    assert baneh is not None and baneh.site.key == "baneh"
    assert key_of(gaz.resolve("Penjwen")) == "penjwen"


def test_country_words_choose_the_side_of_a_crossing(gaz: Gazetteer) -> None:
    assert key_of(gaz.resolve("Bashmaq")) == "bashmaq"
    assert key_of(gaz.resolve("Iranian side of Bashmaq")) == "bashmaq_ir"
    assert key_of(gaz.resolve("Bashmaq, Iran")) == "bashmaq_ir"


def test_exact_beats_fuzzy_and_curated_beats_geonames(gaz: Gazetteer) -> None:
    exact = gaz.resolve("Penjwin")
    fuzzy = gaz.resolve("Penjwein")
    assert exact is not None and fuzzy is not None
    assert exact.site.key == fuzzy.site.key == "penjwen" and exact.score > fuzzy.score
    erbil = gaz.resolve("Erbil")
    assert erbil is not None and erbil.layer == "curated" and not erbil.ambiguous
    # GeoNames stores Penjwen as "Baynjiwayn": it still answers with the curated site.
    assert key_of(gaz.resolve("Baynjiwayn")) == "penjwen"


def test_airport_codes_match_in_capitals_only(gaz: Gazetteer) -> None:
    assert key_of(gaz.resolve("EBL")) == "erbil_airport"
    assert key_of(gaz.resolve("ORSU")) == "sulaymaniyah_airport"
    van = gaz.resolve("VAN")
    assert van is not None and van.layer == "airports" and van.site.kind == "airport"
    town = gaz.resolve("Van")
    assert town is not None and town.site.kind != "airport"


def test_place_province_country_strings(gaz: Gazetteer) -> None:
    penjwin = gaz.resolve("Penjwin, As Sulaymaniyah, Iraq")
    assert penjwin is not None and penjwin.site.key == "penjwen" and penjwin.score < 1
    assert penjwin.query == "Penjwin, As Sulaymaniyah, Iraq"
    unknown_village = gaz.resolve("Xyzzyville, Duhok, Iraq")
    assert unknown_village is not None and unknown_village.site.kind == "governorate"
    assert unknown_village.site.key == "duhok:governorate"
    assert unknown_village.uncertainty_m >= 80_000
    bashmaq = gaz.resolve("Bashmaq, Iran")
    assert bashmaq is not None and bashmaq.site.key == "bashmaq_ir"
    assert gaz.resolve("Xyzzyville, Nowhere, Iraq") is None
    assert gaz.resolve("Iraq") is None


def test_geonames_only_places_and_unknown_names(gaz: Gazetteer) -> None:
    mosul = gaz.resolve("Mosul")
    assert mosul is not None and mosul.layer == "geonames" and mosul.site.population
    assert gaz.resolve("Atlantis") is None
    assert gaz.resolve("   ") is None


def test_resolve_many_keeps_order_and_contexts(gaz: Gazetteer) -> None:
    keys = [key_of(m) for m in gaz.resolve_many(["Arbil", "Nowhere", "Koye"])]
    assert keys == ["erbil", None, "koya"]
    answers = gaz.resolve_many(["Khabur", "Khabur"], context=["at the Khabur gate", None])
    assert [a.ambiguous for a in answers if a] == [False, True]
    with pytest.raises(GazetteerError, match="2 names but 1 contexts"):
        gaz.resolve_many(["a", "b"], context=["x"])


def test_explain_lists_candidates_and_decision(gaz: Gazetteer) -> None:
    text = gaz.explain("Khabur")
    assert "habur" in text and "khabur_river" in text and "AMBIGUOUS" in text
    assert "no candidate" in gaz.explain("Atlantis")
    assert "parts: penjwen" in gaz.explain("Penjwin, As Sulaymaniyah, Iraq")
    assert "fuzzy" in gaz.explain("Chamchamel")


def test_match_is_cached_and_stable(gaz: Gazetteer) -> None:
    assert gaz.resolve("Slemani") is gaz.resolve("Slemani")
    assert Gazetteer().resolve("Slemani") == gaz.resolve("Slemani")


# ----------------------------------------------------------------------------- user files


def write(tmp_path: Path, text: str, name: str = "sites.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_sites_merge_over_the_packaged_ones(tmp_path: Path) -> None:
    mine = write(
        tmp_path,
        "key,name,aliases,kind,country,lat,lon,radius_km\n"
        "penjwen,Penjwen (checkpoint),Penjwin|Penjwen checkpoint,town,IQ,35.63,45.95,0.5\n"
        "fob_x,Forward Base X,FOB X,camp,IQ,37.1,43.4,\n",
    )
    gaz = Gazetteer.from_files(mine)
    penjwen = gaz.resolve("Penjwin")
    assert penjwen is not None and penjwen.site.lat == 35.63 and penjwen.uncertainty_m == 500
    fob = gaz.resolve("FOB X")
    assert fob is not None and fob.site.kind == "camp" and fob.uncertainty_m == 1_000
    assert key_of(gaz.resolve("Koysinjaq")) == "koya"
    assert Gazetteer().resolve("Penjwin").site.lat != 35.63  # type: ignore[union-attr]


def test_later_user_files_override_earlier(tmp_path: Path) -> None:
    one = write(tmp_path, "key,name,lat,lon\nx,Xanadu,36,44\n", "one.csv")
    two = write(tmp_path, "key,name,lat,lon\nx,Xanadu,37,44\n", "two.csv")
    match = Gazetteer.from_files(one, two).resolve("Xanadu")
    assert match is not None and match.site.lat == 37


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key,name,lat\nx,X,36\n", "missing column"),
        ("key,name,lat,lon\nx,X,north,44\n", "'north' is not a number"),
        ("key,name,lat,lon\nx,X,36,\n", "both be given"),
        ("key,name,lat,lon\nx,X,96,44\n", "out of range"),
        ("key,name,lat,lon\n,X,36,44\n", "key and name are required"),
        ("key,name,lat,lon\nx,X,36,44\nx,Y,36,44\n", "duplicate key"),
        ("key,name,lat,lon,confidence\nx,X,36,44,sure\n", "not high, medium or low"),
        ("key,name,lat,lon,radius_km\nx,X,36,44,-1\n", "must be positive"),
    ],
)
def test_bad_sites_files_give_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError, match=message) as info:
        read_sites_csv(path)
    assert str(path) in str(info.value)


def test_missing_or_binary_sites_file(tmp_path: Path) -> None:
    with pytest.raises(SitesFileError, match="cannot read"):
        Gazetteer.from_files(tmp_path / "absent.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"key,name,lat,lon\n\xff\xfe\x00,x,1,2\n")
    with pytest.raises(SitesFileError):
        read_sites_csv(binary)


# ----------------------------------------------------------------------------- readers


def test_events_with_a_place_and_no_coordinates_are_located() -> None:
    from geomap.errors import RowsRejectedWarning
    from geomap.readers import read_events

    text = (
        "id,date,event_type,place,description\n"
        "a,2017-10-02,shelling,Bashmaq crossing,artillery near the crossing\n"
        "b,2017-10-02,shelling,Koysinjaq,\n"
        "c,2017-10-02,shelling,Atlantis,\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RowsRejectedWarning)
        events = read_events(io.StringIO(text))
    assert len(events) == 3
    assert events["site"].tolist()[:2] == ["bashmaq", "koya"]
    assert events["location_source"].tolist()[:2] == ["curated", "curated"]
    assert events["uncertainty_m"].tolist()[:2] == [6000.0, 4000.0]
    assert events.geometry.iloc[2] is None or events.geometry.iloc[2].is_empty
    assert "Atlantis" in events["problem"].tolist()[2]
