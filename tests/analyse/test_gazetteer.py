"""Importing a GeoNames country dump and resolving villages with it.

The dump is a small file in GeoNames' 19-column format written here (a dozen Ukrainian villages,
two namesakes in two oblasts, raions, Cyrillic and Russian-style alternate names); cities500 is
left out of the index these tests build, so each build takes milliseconds and only the fixture's
places exist.
"""

from __future__ import annotations

import marshal
import time
import zipfile

import pytest

from claimledger.analyse import gazetteer, gazetteer_build
from claimledger.analyse.places import find_places, geocode
from claimledger.outputs.cli.main import main

# gid, name, alternate names, lat, lon, feature class, code, admin1, admin2, population
ROWS = [
    (9000001, "Novoselivka", "Novoselovka,Новоселівка", 49.30, 37.10, "P", "PPL", "07", "6310", 0),
    (9000002, "Novoselivka", "Novoselovka,Новоселівка", 48.10, 37.60, "P", "PPL", "05", "1408", 0),
    (9000003, "Izium", "Izyum,Изюм,Ізюм", 49.21, 37.25, "P", "PPLA2", "07", "6310", 45000),
    (9000004, "Iziumskyi Raion", "Izium Raion,Izyumskiy Rayon", 49.20, 37.30, "A", "ADM2", "07", "6310", 0),
    (9000005, "Kharkiv Oblast", "Kharkivska oblast", 49.50, 36.50, "A", "ADM1", "07", "", 0),
    (9000006, "Kalmiuskyi Raion", "Kalmiuske Raion", 47.60, 38.00, "A", "ADM2", "05", "1410", 0),
    (9000007, "Olenivka", "Yelenovka,Elenovka,Оленівка", 47.85, 37.75, "P", "PPL", "05", "1410", 0),
    (9000008, "Peremoha", "Перемога", 50.70, 34.90, "P", "PPL", "21", "5910", 0),
    (9000009, "Vasylivka", "Vasilyevka", 48.20, 37.50, "P", "PPL", "05", "1408", 0),
    (9000010, "Vasylivka", "Vasilyevka", 47.43, 35.27, "P", "PPLA2", "26", "2307", 5000),
    (9000011, "Synelnykove", "Sinelnikovo", 48.32, 35.51, "P", "PPLA2", "04", "1210", 30000),
    (9000012, "Synelnykivskyi Raion", "Synel'nykivs'kyy Rayon", 48.30, 35.60, "A", "ADM2", "04", "1210", 0),
    (9000013, "Dovhenke", "Dolgenkoye", 49.00, 37.30, "P", "PPL", "07", "6310", 0),
    (9000014, "Suchyi Torets", "", 48.60, 37.20, "H", "STM", "05", "", 0),
    (9000015, "Donetska Oblast", "Donetsk Oblast", 48.00, 37.80, "A", "ADM1", "05", "", 0),
    (9000016, "Sumska Oblast", "Sumy Oblast", 50.90, 34.80, "A", "ADM1", "21", "", 0),
    (706483, "Kharkiv", "Kharkov,Харків", 49.98, 36.25, "P", "PPLA", "07", "6301", 1430885),
    (709717, "Donetsk", "Donetsk,Донецьк", 48.02, 37.80, "P", "PPLA", "05", "1408", 1024700),
    (692194, "Sumy", "Сумы", 50.92, 34.80, "P", "PPLA", "21", "5901", 268409),
    (709930, "Dnipro", "Dnepr", 48.47, 35.04, "P", "PPLA", "04", "1201", 968502),
]


def dump_text(rows=ROWS) -> str:
    lines = []
    for gid, name, alts, lat, lon, fclass, fcode, a1, a2, pop in rows:
        lines.append("\t".join([str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, "UA", "", a1, a2,
                                "", "", str(pop), "", "150", "Europe/Kyiv", "2025-01-02"]))
    return "\n".join(lines) + "\n"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh $CLAIMLEDGER_HOME and cache, and an index without cities500 (fast to build)."""
    monkeypatch.setenv("CLAIMLEDGER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLAIMLEDGER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(gazetteer_build, "_builtin_towns", lambda b, gc, skip: {})
    gazetteer.reset()
    yield tmp_path
    gazetteer.reset()


@pytest.fixture
def ua_zip(tmp_path):
    path = tmp_path / "UA.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("UA.txt", dump_text())
        zf.writestr("readme.txt", "GeoNames readme")
    return path


@pytest.fixture
def imported(home, ua_zip, capsys):
    assert main(["gazetteer", "import", str(ua_zip)]) == 0
    capsys.readouterr()
    gazetteer.reset()
    return ua_zip


def one(text, mention):
    found = [p for p in find_places(text) if p.mention == mention]
    assert len(found) == 1, (mention, [(p.mention, p.name, p.lat) for p in find_places(text)])
    return found[0]


# -- import, status, remove ------------------------------------------------------------------------

def test_import_status_and_idempotent_reimport(home, ua_zip, capsys):
    assert main(["gazetteer", "import", str(ua_zip)]) == 0
    out = capsys.readouterr().out
    # 19 of 20 kept: the stream (feature class H) is not a place
    assert "UA: imported: 19 features (13 populated places, 6 divisions)" in out
    assert "Contains data from GeoNames" in out
    assert main(["gazetteer", "status"]) == 0
    out = capsys.readouterr().out
    assert "UA" in out and "UA.zip" in out and "2025-01-02" in out and "CC BY 4.0" in out
    index_files = sorted(p.name for p in (home / "home" / "gazetteer").glob("index-*.marshal"))
    assert len(index_files) == 1
    assert main(["gazetteer", "import", str(ua_zip)]) == 0
    assert "already imported" in capsys.readouterr().out
    assert sorted(p.name for p in (home / "home" / "gazetteer").glob("index-*.marshal")) == index_files


def test_a_changed_dump_gets_a_new_index_key(home, ua_zip, tmp_path, capsys):
    assert main(["gazetteer", "import", str(ua_zip)]) == 0
    first = gazetteer.cache_path()
    txt = tmp_path / "UA.txt"
    txt.write_text(dump_text(ROWS[:5]), encoding="utf-8")
    assert main(["gazetteer", "import", str(txt)]) == 0
    assert "5 features" in capsys.readouterr().out
    second = gazetteer.cache_path()
    assert second != first and second.exists() and not first.exists()
    from claimledger.analyse.gazetteer_import import imported

    assert f"UA:{imported()[0]['sha256'][:12]}" in gazetteer.identity()


def test_remove_goes_back_to_the_built_in_gazetteer(imported, capsys):
    assert one("Shelling hit Novoselivka, Kharkiv region.", "Novoselivka").lat == 49.30
    assert main(["gazetteer", "remove", "ua"]) == 0
    assert "UA: removed" in capsys.readouterr().out
    gazetteer.reset()
    assert "no country dump imported" in (main(["gazetteer", "status"]), capsys.readouterr().out)[1]
    assert not [p for p in find_places("Shelling hit Novoselivka, Kharkiv region.") if p.mention == "Novoselivka"]
    assert main(["gazetteer", "remove", "UA"]) == 2
    assert "not imported: UA" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (b"just some text\n", "columns"),
    (b"", "no populated places"),
])
def test_bad_dump_is_one_line_error(home, tmp_path, capsys, content, message):
    bad = tmp_path / "XX.txt"
    bad.write_bytes(content)
    assert main(["gazetteer", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last.startswith("claimledger gazetteer: ") and message in last and "Traceback" not in err


def test_missing_file_and_zip_without_country_file(home, tmp_path, capsys):
    assert main(["gazetteer", "import", str(tmp_path / "nope.zip")]) == 2
    assert "no such file" in capsys.readouterr().err
    z = tmp_path / "UA.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    assert main(["gazetteer", "import", str(z)]) == 2
    assert "no XX.txt" in capsys.readouterr().err


# -- resolution with the dump ---------------------------------------------------------------------------

def test_oblast_after_the_village_picks_the_namesake(imported):
    assert one("Russian forces shelled Novoselivka, Kharkiv region.", "Novoselivka").lat == 49.30
    assert one("Russian forces shelled Novoselivka, Donetsk. No casualties.", "Novoselivka").lat == 48.10
    p = one("Shelling of Novoselivka (Kharkiv) continued.", "Novoselivka")
    assert p.lat == 49.30 and p.admin1 == "Kharkiv" and p.precision == "point"


def test_raion_named_nearby_picks_the_namesake(imported):
    text = "Fighting continued in the Izium district. Two houses burned in Novoselivka."
    assert one(text, "Novoselivka").lat == 49.30
    raion = one(text, "Izium district")
    assert raion.precision == "admin2" and raion.admin1 == "Kharkiv" and raion.name == "Iziumskyi Raion"


def test_raion_spellings_resolve(imported):
    for text, name in [("Shelling hit the Kalmiuskyi raion overnight.", "Kalmiuskyi Raion"),
                       ("An airstrike hit Synelnykivskyi district, Dnipropetrovsk.", "Synelnykivskyi Raion")]:
        p = [p for p in find_places(text) if p.precision == "admin2"]
        assert [q.name for q in p] == [name], find_places(text)


def test_nearby_resolved_place_picks_the_namesake(imported):
    # Alone, the bigger Vasylivka (Zaporizhzhia, a raion seat) wins; near Novoselivka of Donetsk,
    # the Donetsk village does.
    assert one("Shelling hit Vasylivka overnight.", "Vasylivka").lat == 47.43
    text = "Russian forces shelled Novoselivka, Donetsk. Later, Vasylivka was hit."
    assert one(text, "Vasylivka").lat == 48.20
    text = "Russian troops shelled Dovhenke, Kharkiv region. Later, Novoselivka was hit."
    assert one(text, "Novoselivka").lat == 49.30  # near Dovhenke, not the Donetsk namesake


def test_cyrillic_and_russian_style_spellings(imported):
    assert one("Обстріл Новоселівка, Kharkiv region.", "Новоселівка").lat == 49.30
    for spelling in ("Yelenovka", "Elenovka"):
        p = one(f"Fighting was reported near {spelling}, Donetsk.", spelling)
        assert p.name == "Olenivka" and p.admin1 == "Donetsk"


def test_tiny_word_like_village_needs_context(imported):
    assert not [p for p in find_places("Peremoha was the word on every banner.") if p.mention == "Peremoha"]
    assert one("Russian forces clashed with Ukrainian forces near Peremoha, Sumy.", "Peremoha").lat == 50.70


def test_unknown_village_is_not_moved_to_the_oblast_capital(imported):
    found = find_places("Russian forces shelled Zzyzxivka, Kharkiv. Casualties unknown.")
    assert [(p.mention, p.precision, p.admin1, p.unresolved) for p in found] == [
        ("Zzyzxivka", "admin1", "Kharkiv", True), ("Kharkiv", "admin1", "Kharkiv", False)]
    assert all(p.geonameid is None for p in found)  # the oblast, not Kharkiv city's point


def test_a_village_its_raion_does_not_hold_is_unresolved_in_that_raion(imported):
    # the dump's Novoselivkas are in the Izium and Pokrovsk raions, not in the Kalmiuskyi one
    (p,) = [p for p in find_places("Shelling hit Novoselivka, Kalmiuskyi raion.") if p.unresolved]
    assert (p.name, p.precision, p.admin1, p.geonameid) == ("Novoselivka", "admin2", "Donetsk", None)
    assert (p.lat, p.lon) == (47.60, 38.00)  # the raion's point, not a Novoselivka elsewhere


def test_geocode_finds_an_imported_village(imported):
    p = geocode("Dovhenke")
    assert p is not None and p.lat == 49.00 and p.country == "UA"


def test_index_loads_fast_and_rows_are_compact(imported):
    t0 = time.perf_counter()
    g = gazetteer.Gazetteer(gazetteer.load())
    assert time.perf_counter() - t0 < 0.5
    assert g.imported == {"UA"} and g.lookup("dovhenke")[0][0].adm2 == "6310"
    rows = marshal.loads((gazetteer.cache_path().parent / "UA.rows.marshal").read_bytes())
    assert len(rows) == 19 and all(len(r) == 11 for r in rows)


def test_monitors_and_separatist_forces_place_a_village_in_the_donbas(imported):
    # two Vasylivkas: a bigger raion seat in Zaporizhzhia oblast, a village of Donetsk oblast
    assert one("Shelling was heard near Vasylivka on Monday.", "Vasylivka").admin1 == "Zaporizhia"
    assert one("The OSCE SMM recorded 12 explosions near Vasylivka.", "Vasylivka").admin1 == "Donetsk"
    assert one("Government forces fired at DPR positions near Vasylivka.", "Vasylivka").admin1 == "Donetsk"


def test_oblast_after_a_raion_is_the_oblast_not_its_capital(imported):
    found = find_places("Clashes were reported in Izium district, Kharkiv.")
    assert [(p.mention, p.precision) for p in found] == [("Izium district", "admin2"), ("Kharkiv", "admin1")]


def test_a_dump_village_far_from_a_foreign_documents_places_needs_its_own_context(home, tmp_path, capsys):
    # a populated Ukrainian village named like a word ("Bazar") in a note about Herat is the word;
    # the same village with its oblast named is the village
    ua = [(9100001, "Bazar", "", 50.92, 28.62, "P", "PPL", "22", "", 600),
          (9100002, "Ternopilska Oblast", "Ternopil Oblast", 49.50, 25.60, "A", "ADM1", "22", "", 0)]
    af = [(9200001, "Herat", "Herat City", 34.35, 62.20, "P", "PPLA", "11", "", 400000),
          (9200002, "Adraskan", "", 33.64, 62.27, "P", "PPLA2", "11", "", 5000)]
    for cc, rows in (("UA", ua), ("AF", af)):
        path = tmp_path / f"{cc}.txt"
        path.write_text(dump_text(rows).replace("\tUA\t", f"\t{cc}\t"), encoding="utf-8")
        assert main(["gazetteer", "import", str(path)]) == 0
    capsys.readouterr()
    gazetteer.reset()
    note = "On 13 March 2020, a deputy commander was killed in an ambush in the Bazar area of Adraskan district, Herat."
    assert {p.mention for p in find_places(note)} >= {"Herat"}
    assert not [p for p in find_places(note) if p.mention == "Bazar"]
    assert one("Shelling hit Bazar, Ternopil Oblast, on Monday.", "Bazar").lat == 50.92


def test_the_qualifiers_oblast_holds_the_name_in_the_other_romanisation(home, tmp_path, capsys):
    # "Vysokopillia, Kherson": Kherson Oblast's village is spelled "Vysokopillya" in the dump, and a
    # namesake spelled as written lies in Kharkiv Oblast
    rows = [(9300001, "Vysokopillia", "", 49.90, 35.10, "P", "PPL", "07", "", 0),
            (9300002, "Vysokopillya", "", 47.49, 33.53, "P", "PPL", "08", "", 4000),
            (9300003, "Khersonska Oblast", "Kherson Oblast", 46.80, 33.40, "A", "ADM1", "08", "", 0),
            (9300004, "Kharkivska Oblast", "Kharkiv Oblast", 49.50, 36.50, "A", "ADM1", "07", "", 0),
            (706448, "Kherson", "Херсон", 46.64, 32.61, "P", "PPLA", "08", "", 300000),
            (706483, "Kharkiv", "Kharkov", 49.98, 36.25, "P", "PPLA", "07", "", 1430885)]
    path = tmp_path / "UA.txt"
    path.write_text(dump_text(rows), encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 0
    capsys.readouterr()
    gazetteer.reset()
    assert one("Russian forces carried out artillery shelling of Vysokopillia, Kherson.", "Vysokopillia").lat == 47.49
    assert one("Russian forces shelled Vysokopillia, Kharkiv.", "Vysokopillia").lat == 49.90


# -- namesakes inside one oblast ------------------------------------------------------------------------

NAMESAKES = [
    # two Tykhodolynas of Donetsk Oblast: one on the Donbas line of contact (no census figure), one
    # far behind it with 400 people; two Bilotsvits: a town of 15,000 behind the line, a hamlet on it
    (9400001, "Tykhodolyna", "", 48.16, 37.82, "P", "PPL", "05", "1416", 0),
    (9400002, "Tykhodolyna", "", 48.95, 37.05, "P", "PPL", "05", "1413", 400),
    (9400003, "Bilotsvit", "", 48.90, 37.10, "P", "PPL", "05", "1413", 15000),
    (9400004, "Bilotsvit", "", 48.10, 37.72, "P", "PPL", "05", "1416", 0),
    # two Yasnodolynas of Kharkiv Oblast (no front line there): one next to Izium, one bigger far off
    (9400005, "Yasnodolyna", "", 49.25, 37.20, "P", "PPL", "07", "6310", 0),
    (9400006, "Yasnodolyna", "", 50.20, 35.90, "P", "PPL", "07", "6320", 300),
]


@pytest.fixture
def namesakes(home, tmp_path, capsys):
    path = tmp_path / "UA.txt"
    path.write_text(dump_text(ROWS + NAMESAKES), encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 0
    capsys.readouterr()
    gazetteer.reset()


def test_a_namesake_on_the_front_line_wins_in_its_oblast(namesakes):
    # "shelled X, Donetsk" with several X in the oblast: the one on the line of contact
    assert one("On 5 May 2022, Russian forces shelled Tykhodolyna, Donetsk.", "Tykhodolyna").lat == 48.16
    assert one("On 3 May 2021, the OSCE SMM observed 4 explosions near Tykhodolyna.", "Tykhodolyna").lat == 48.16
    # a town of its name in the oblast stays the town
    assert one("On 5 May 2022, Russian forces shelled Bilotsvit, Donetsk.", "Bilotsvit").lat == 48.90


def test_a_front_line_holds_only_for_documents_dated_in_its_period(namesakes):
    # the Donbas line of contact is valid 2014-09-05..2022-12-31 (data/conflicts/russia_ukraine.yaml)
    for text in ("On 5 May 2024, Russian forces shelled Tykhodolyna, Donetsk.",
                 "On 5 May 2013, Russian forces shelled Tykhodolyna, Donetsk.",
                 "Russian forces shelled Tykhodolyna, Donetsk."):     # undated: no front is known
        assert one(text, "Tykhodolyna").lat == 48.95, text           # the bigger village, no front bonus
    # a document's publication day dates it when its text opens with no date of its own
    assert find_places("Russian forces shelled Tykhodolyna, Donetsk.", day="2022-05-05")[0].lat == 48.16


def test_a_qualified_namesake_near_the_documents_other_places_wins(namesakes):
    assert one("Russian forces shelled Yasnodolyna, Kharkiv.", "Yasnodolyna").lat == 50.20
    text = "Shelling hit Izium overnight. Russian forces also shelled Yasnodolyna, Kharkiv."
    assert one(text, "Yasnodolyna").lat == 49.25
