"""One document object flowing through named, replaceable components (the spaCy pattern).

A component is a plain function ``component(doc: Document) -> None`` that fills in one layer of
the document. :func:`default_pipeline` lists them in order; a caller can drop or replace one by
name (``Pipeline.replace("places", my_geocoder)``) without touching the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from claimledger.records import Article, Claim, DocMeta, DocResult, Event, Place, Span


@dataclass
class Document:
    """Everything known about one report while it is being analysed.

    Offsets in every layer index :attr:`text`, the cleaned body that ``meta.id`` hashes.
    """

    article: Article
    text: str = ""
    meta: DocMeta | None = None
    sentences: list[Span] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)         # analyse.dates.DateMention
    places: list[Place] = field(default_factory=list)      # resolved place mentions, text order
    quantities: list[Any] = field(default_factory=list)    # analyse.quantities.QuantityMention
    syntax: dict[int, Any] = field(default_factory=dict)   # sentence index -> analyse.syntax.SentenceParse
    candidates: list[Any] = field(default_factory=list)    # analyse.claims.Candidate
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    user_data: dict[str, Any] = field(default_factory=dict)

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (binary search: documents have hundreds)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def result(self) -> DocResult:
        seen: dict[tuple, Place] = {}
        for p in self.places:
            seen.setdefault((p.geonameid, p.name, p.precision), p)
        assert self.meta is not None
        return DocResult(doc=self.meta, claims=self.claims, events=self.events, places=list(seen.values()))


Component = Callable[[Document], None]


class Pipeline:
    def __init__(self, components: Iterable[tuple[str, Component]]):
        self.components: list[tuple[str, Component]] = list(components)

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.components]

    def replace(self, name: str, component: Component) -> None:
        self.components[self.names.index(name)] = (name, component)

    def remove(self, name: str) -> None:
        del self.components[self.names.index(name)]

    def __call__(self, article: Article) -> Document:
        doc = Document(article=article)
        for _name, component in self.components:
            component(doc)
        return doc


def default_pipeline() -> Pipeline:
    # Imported here so that `import claimledger.pipeline` stays cheap for the CLI's --help.
    from claimledger.analyse.claims import assemble_claims
    from claimledger.analyse.dates import date_component
    from claimledger.analyse.places import place_component
    from claimledger.analyse.quantities import quantity_component
    from claimledger.analyse.sentences import sentence_component
    from claimledger.analyse.syntax import syntax_component
    from claimledger.clean.body import clean_component
    from claimledger.events.build import event_component
    from claimledger.events.conflicts import conflict_component

    return Pipeline([
        ("clean", clean_component),
        ("sentences", sentence_component),
        ("quantities", quantity_component),
        ("dates", date_component),
        ("places", place_component),
        ("syntax", syntax_component),
        ("claims", assemble_claims),
        ("events", event_component),
        ("conflicts", conflict_component),
    ])
