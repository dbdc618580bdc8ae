"""Where an incident is when the only place a sentence names is in its speaker's title.

Every text is written for the test; each covers a construction seen across many reports.
"""


from claimledger.records import Article


def run(nlp, text, published="2022-06-01"):
    return nlp(Article(text=text, published=published))


def test_an_official_who_names_no_other_place_speaks_of_their_own_town(nlp):
    doc = run(nlp, "Mykolaiv mayor Oleksandr Senkevych said Russian rockets hit the city overnight on Sunday. "
                   '"Two people were killed," he added.')
    assert [(e.place.mention, e.date.start) for e in doc.events] == [("Mykolaiv", "2022-05-29")]
    assert doc.claims and all(c.place is not None and c.place.mention == "Mykolaiv" for c in doc.claims)


def test_the_title_does_not_move_an_incident_already_under_discussion(nlp):
    doc = run(nlp, "A Russian missile struck the railway station in Kramatorsk on Friday, killing 50 people. "
                   "Donetsk regional governor Pavlo Kyrylenko said 12 of the dead were children.")
    assert {c.place.name for c in doc.claims} == {"Kramatorsk"}
    assert [e.place.name for e in doc.events] == ["Kramatorsk"]
