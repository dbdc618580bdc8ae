"""The day of an incident: a coder's note keeps its opening date; a figure about the incident's
town that its sentence leaves undated takes the incident's day. Invented texts."""

from __future__ import annotations

from claimledger.records import Article


def run(nlp, text, published=None):
    return nlp(Article(text=text, published=published))


def test_a_note_keeps_its_opening_date_over_a_later_day(nlp):
    doc = run(nlp, "On 3 June 2021, two clan militias fought over grazing land. Several huts were burned. "
                   "Seven people were killed. The clashes continued the following day.")
    assert doc.events and doc.events[0].date.start == "2021-06-03"


def test_a_note_dates_an_incident_seeded_after_its_dateless_opening(nlp):
    doc = run(nlp, "On 11 March 2021, protesters angry at fuel prices threw stones at police. "
                   "Shops were looted. In Kharkiv, 14 police officers were injured and 9 protesters detained.")
    assert doc.events and doc.events[0].date.start == "2021-03-11"


def test_a_note_opening_date_beats_a_recalled_day(nlp):
    doc = run(nlp, "On 9 July 2021, residents held a sit-in in Kharkiv in support of two activists who had "
                   "been detained 12 days ago for burning a tyre at the station.")
    assert doc.events and doc.events[0].date.start == "2021-07-09"


def test_an_undated_figure_in_the_incidents_town_takes_its_day(nlp):
    doc = run(nlp, "A Russian missile hit a hospital in Kharkiv on Tuesday, killing four people, the mayor said. "
                   "Earlier, the regional governor said 200 patients had been moved out of the hospital in Kharkiv "
                   "and 40 were evacuated.", published="2022-10-14")
    moved = [c for c in doc.claims if c.measure == "evacuated" and c.quantity.value == 40]
    assert doc.events and doc.events[0].date.start == "2022-10-11"
    assert moved and moved[0].date is not None and moved[0].date.start == "2022-10-11"


def test_a_guess_at_one_incidents_dead_is_no_running_total(nlp):
    doc = run(nlp, "A Russian air strike hit a shelter in Kharkiv on Tuesday, killing three people. "
                   "However, 25 others are thought to have died under the debris.", published="2022-10-14")
    guess = [c for c in doc.claims if c.quantity.value == 25]
    assert guess and guess[0].event is not None and guess[0].date.start == "2022-10-11"


def test_a_tallys_window_does_not_pass_to_the_next_region_of_a_roundup(nlp):
    doc = run(nlp, "A Russian missile hit a bus station in Kharkiv on Wednesday, killing three people. "
                   "Over the past 24 hours, Russian shelling killed two civilians in Donetsk Oblast, officials said. "
                   "In the Dnipropetrovsk region, Russian artillery shelled Nikopol, damaging several homes.",
              published="2022-10-12")
    by_town = {e.place.name[:5]: e.date.start for e in doc.events if e.place is not None}
    assert by_town.get("Nikop") == "2022-10-12" and by_town.get("Khark") == "2022-10-12"


def test_an_incident_recalled_by_its_month_inherits_no_day(nlp):
    doc = run(nlp, "A Russian missile hit an apartment block in Dnipro on Thursday, killing five people, officials "
                   "said. The resolution condemns attacks on a hospital in Kharkiv in March, a market in Sumy in May "
                   "and a school in Odesa in June.", published="2022-08-11")
    days = {e.place.name[:5]: (e.date.start if e.date else None) for e in doc.events if e.place is not None}
    assert days.get("Dnipr") == "2022-08-11"
    assert "Khark" in days and all(d is None for town, d in days.items() if town != "Dnipr")


def test_a_regions_event_lends_no_day_to_a_figure_in_its_capital(nlp):
    doc = run(nlp, "Russian forces shelled the Kharkiv region on Tuesday, officials said. "
                   "About 20,000 residents fled Kharkiv in convoys of buses.", published="2022-10-14")
    left = [c for c in doc.claims if c.measure == "evacuated"]
    assert left and all(c.date is None for c in left)
