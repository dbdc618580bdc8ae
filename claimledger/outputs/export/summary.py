"""What every export needs besides the event: its reports, its killed claims, and a one-paragraph note.

The note is written the way ACLED's ``notes`` column reads (what happened, where, the toll and
whose figures it rests on), generated from the ledger event alone so that an analyst can check
each statement against ``claimledger show``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimledger.data import load_yaml
from claimledger.ledger.reviews_apply import reviewed_claims_iter
from claimledger.ledger.stories import story_map
from claimledger.outputs.table import place_name
from claimledger.records import Claim, DocMeta, LedgerEvent


def export_config() -> dict:
    return load_yaml("ledger.yaml")["export"]


@dataclass
class EventBundle:
    event: LedgerEvent
    docs: list[DocMeta] = field(default_factory=list)
    killed: list[tuple[Claim, DocMeta]] = field(default_factory=list)
    wires: list[str] = field(default_factory=list)   # labels of the syndicated stories among the docs
    reprinted: list[str] = field(default_factory=list)   # outlets that printed one of the docs word for word
    notes: list[str] = field(default_factory=list)   # the texts of its reports that are notes (short)

    @property
    def texts(self) -> list[str]:
        """What the event's reports say of it: its notes whole, and its killed claims' evidence."""
        return self.notes + [c.evidence.text for c, _ in self.killed]

    @property
    def outlets(self) -> list[str]:
        """The wires whose copies the outlets ran first (ACLED's ``source``), then every outlet."""
        rest = sorted(({d.outlet or d.id for d in self.docs} | set(self.reprinted)) - set(self.wires))
        return self.wires + rest


def bundles(store) -> Iterator[EventBundle]:
    """Every ledger event with its reports and killed claims, in date order, in two passes over the
    database (claims grouped in memory) instead of one query per event."""
    killed: dict[str, list[tuple[Claim, DocMeta]]] = defaultdict(list)
    doc_ids: set[str] = set()
    for claim, meta, ledger_id, status in reviewed_claims_iter(store, measures=["killed"]):
        if ledger_id and status != "rejected":   # a rejected figure is nobody's figure in the notes
            killed[ledger_id].append((claim, meta))
    events = list(store.iter_events())
    for ev in events:
        doc_ids.update(ev.documents)
    metas = store.documents_meta(doc_ids)
    copies = story_map(store.engine, doc_ids)
    short = store.short_bodies(doc_ids, export_config()["note_chars"])
    for ev in events:
        docs = sorted((metas[d] for d in ev.documents if d in metas), key=lambda m: (m.published or "", m.id))
        yield EventBundle(ev, docs, killed.get(ev.id, []), _wires(ev.documents, copies),
                          sorted({o for d in ev.documents if d in copies for r, o in copies[d].reprints if r == d}),
                          [short[d] for d in sorted(ev.documents) if d in short])


def _wires(doc_ids: list[str], copies: dict) -> list[str]:
    """Labels ("AP", or the first outlet) of the syndicated stories these reports are copies of."""
    return sorted({copies[d].label for d in doc_ids if d in copies})


def source_label(claim: Claim, meta: DocMeta) -> str:
    s = claim.source
    if s.kind == "unattributed" or not (s.name or s.mention):
        return meta.outlet or "the outlet"
    return s.name or s.mention


def acled_date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d %B %Y") if iso else ""


def _fmt(v) -> str:
    return "?" if v is None else f"{v:,}"


def figures(b: EventBundle) -> dict[str, list[str]]:
    """Each source's killed figures in report order ("governor": ["three", "five"]); figures for a
    subgroup ("five children") are left out: they are a part of the toll, not a figure for it."""
    out: dict[str, list[str]] = defaultdict(list)
    subgroups = load_yaml("ledger.yaml")["reconcile"]["subgroups"]
    ordered = sorted(b.killed, key=lambda cm: (cm[1].published or "", cm[1].id, cm[0].evidence.start))
    for c, meta in ordered:
        subj = (c.subject.text or "").lower()
        if any(re.search(r"\b" + re.escape(g) + r"\b", subj) for g in subgroups):
            continue
        q = (c.quantity.text or (str(int(c.quantity.value)) if c.quantity.value is not None else "")).lower()
        label = source_label(c, meta)
        if q and q not in out[label]:
            out[label].append(q)
    return out


def who_said(b: EventBundle) -> str:
    """"A said 3, then 5; B said about 20" (sources in name order), or "" when nobody gave a figure."""
    return "; ".join(f"{k} said {', then '.join(v)}" for k, v in sorted(figures(b).items()))


def notes(b: EventBundle) -> str:
    cfg = export_config()
    ev = b.event
    side = lambda a: cfg["side_phrase"].get(a.side if a else "unknown", "unidentified forces")  # noqa: E731
    place = place_name(ev.place) if ev.place else "an unknown place"
    if ev.place and ev.place.admin1 and ev.place.admin1 not in place:
        place += f" ({ev.place.admin1})"
    template = cfg["notes_templates"].get(ev.type, cfg["notes_templates"]["default"])
    what = template.format(initiator=side(ev.initiator), target=side(ev.target), place=place, type=ev.type.lower())
    when = f"On {acled_date(ev.date.start)}, " if ev.date and ev.date.start else "On an unreported date, "
    parts = [(when + what).rstrip(".") + "."]
    d = ev.deaths
    if d and (d.low is not None or d.high is not None):
        parts.append(f"Fatalities: at least {_fmt(d.low)}, best estimate {_fmt(d.best)}, up to {_fmt(d.high)}.")
        said = who_said(b)
        if said:
            parts.append("Figures: " + said + ".")
    else:
        parts.append("No fatalities reported.")
    if ev.revisions:
        parts.append("Revised: " + "; ".join(f"{r.source} {_fmt(_int(r.from_))} to {_fmt(_int(r.to))}"
                                             for r in ev.revisions if r.measure == "killed") + ".")
    parts.append(f"Reported by {', '.join(b.outlets) or 'no named outlet'}.")
    return " ".join(p for p in parts if p.strip(". "))


def _int(v):
    return None if v is None else int(round(v))
