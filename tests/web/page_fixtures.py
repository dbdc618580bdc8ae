"""The web fixtures' six Ukrainian events plus two more that differ in every filter the page has:
a Sudan event (another conflict, country, region, outlet and source kind) and an Odesa follow-up
carried by a second outlet. Built by hand like ``web_fixtures.documents``."""

from __future__ import annotations

from web_fixtures import PLACES, SHELLING, Doc, documents

from claimledger.records import Place, Span

KHARTOUM = Place(mention="Khartoum", name="Khartoum", geonameid=379252, lat=15.5518, lon=32.5324, country="SD",
                 admin1="Khartoum", precision="point", evidence=Span(0, 0))


def ua_place(name: str) -> Place:
    gid, lat, lon, admin1 = PLACES[name]
    return Place(mention=name, name=name, geonameid=gid, lat=lat, lon=lon, country="UA", admin1=admin1,
                 precision="point", evidence=Span(0, 0))


def page_documents():
    out = documents()
    d = Doc("Shelling of a market in Khartoum killed 31 people, the Emergency Lawyers group said. The Rapid "
            "Support Forces were blamed.", "2023-05-03", "Khartoum market shelled", outlet="Sudan Tribune")
    c = d.claim("Shelling of a market in Khartoum killed 31 people", "31", source="Emergency Lawyers",
                side="third_party", kind="ngo", value=31, subject_side="unknown", day="2023-05-02", place=KHARTOUM)
    ev = d.event(SHELLING, "2023-05-02", KHARTOUM, (31, 31, 31), [c], initiator="rsf", target=None)
    ev.conflict = "sudan"
    out.append(d.result())
    odesa = ua_place("Odesa")
    d = Doc("Nine people were wounded when drones hit the port of Odesa overnight, the regional governor said.",
            "2023-03-29", "Port of Odesa hit", outlet="Black Sea News")
    c = d.claim("Nine people were wounded when drones hit the port of Odesa overnight", "Nine",
                source="Odesa regional governor", side="ukraine", measure="wounded", value=9, day="2023-03-28")
    d.event(SHELLING, "2023-03-28", odesa, None, [c])
    out.append(d.result())
    return out


def outlier_document():
    """A report about a 1920 massacre: a real date, but 100 years outside the others (the timeline
    must clip it and say so, not squeeze the war into a few pixels)."""
    d = Doc("Historians say 40 people were killed in Kyiv in 1920.", "2023-02-10", "An old massacre remembered",
            outlet="History Weekly")
    c = d.claim("Historians say 40 people were killed in Kyiv in 1920", "40", source="historians", side="unknown",
                kind="person", value=40, day="1920-06-01")
    d.event(("Attack", "Violence against civilians"), "1920-06-01", ua_place("Kyiv"), (40, 40, 40), [c],
            initiator=None, target=None)
    return d.result()


KRAMATORSK = Place(mention="Kramatorsk", name="Kramatorsk", geonameid=704508, lat=48.7230, lon=37.5563, country="UA",
                   admin1="Donetsk", precision="point", evidence=Span(0, 0))
SLOVIANSK = Place(mention="Sloviansk", name="Sloviansk", geonameid=700019, lat=48.8526, lon=37.6050, country="UA",
                  admin1="Donetsk", precision="point", evidence=Span(0, 0))
QUOTED = 'said "at least 40 militants" were'   # a phrase with quotes: JSON writes them as \"


def search_documents():
    """Two reports for the substring search and the three kinds of side: a Kramatorsk strike carried
    by Reuters, and a clash whose two claims are made by each side about the other's dead (the
    Russian ministry on Ukrainian "militants", quoted; Kyiv on Russian soldiers)."""
    out = []
    d = Doc("A missile hit Kramatorsk’s railway station, killing 57 people, the Donetsk regional "
            "governor said.", "2023-06-09", "Station strike", outlet="Reuters")
    c = d.claim("A missile hit Kramatorsk’s railway station, killing 57 people", "57",
                source="Donetsk regional governor", side="ukraine", value=57, subject="people", day="2023-06-08",
                place=KRAMATORSK)
    d.event(SHELLING, "2023-06-08", KRAMATORSK, (57, 57, 57), [c])
    out.append(d.result())
    d = Doc(f'The defence ministry {QUOTED} killed north of Kramatorsk. Kyiv said 30 Russian soldiers died there.',
            "2023-06-12", "Clash near Sloviansk", outlet="Front Line Digest")
    c1 = d.claim(f"The defence ministry {QUOTED} killed", "at least 40", source="Russian Ministry of Defence",
                 side="russia", kind="government", value=40, lo=40, hi=None, subject="militants",
                 subject_side="ukraine", day="2023-06-11")
    c2 = d.claim("Kyiv said 30 Russian soldiers died there", "30", source="Ukrainian General Staff", side="ukraine",
                 kind="military", value=30, subject="Russian soldiers", subject_side="russia", day="2023-06-11")
    d.event(("Armed clash", "Battles"), "2023-06-11", SLOVIANSK, (30, 40, 40), [c1, c2], initiator="ukraine",
            target="russia")
    out.append(d.result())
    return out
