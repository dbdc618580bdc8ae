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
