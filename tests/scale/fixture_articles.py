"""Forty invented war reports for the scale tests, built from a few sentence patterns.

The patterns vary sources, sides, measures, places and dates so the real extractor produces
claims, events and places (non-trivial output to compare), and the texts are long enough that
batches of different articles finish out of order on two workers.
"""

from __future__ import annotations

import json
from pathlib import Path

PLACES = ["Kharkiv", "Odesa", "Mykolaiv", "Zaporizhzhia", "Dnipro", "Kherson", "Bakhmut", "Sumy",
          "Chernihiv", "Kramatorsk"]
SOURCES = ["Ukraine's General Staff said", "the Russian Defence Ministry claimed", "regional governor Ivan Petrenko "
           "said on Telegram", "a spokesperson for the United Nations said", "local officials told reporters",
           "the city council reported"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

LEDES = [
    "{n} civilians were killed and {m} wounded when missiles struck {place} on {day}, {source}.",
    "{source} that {n} drones were shot down overnight over the {place} region.",
    "Shelling of {place} on {day} killed {n} people, including two children, {source}.",
    "{source} that its forces destroyed {n} tanks and {m} armoured vehicles near {place}.",
    "At least {n} people were injured in an attack on a market in {place}, {source}.",
]
BODIES = [
    "Rescue workers searched the rubble of a five-storey building through the night. "
    "\"We heard the first explosion at about 4 a.m.,\" said a resident who gave only her first name.",
    "The claim could not be independently verified. Moscow did not comment on the report.",
    "Power was cut to about {k} homes, and the regional administration said repairs would take days.",
    "Officials said {m} people remained missing. Earlier reports had put the toll at {n2}.",
    "The strike came a day after talks in Istanbul ended without agreement on a ceasefire.",
]


def article(i: int) -> dict:
    n, m, k = 2 + (i * 7) % 40, 1 + (i * 3) % 15, 100 * (3 + i % 9)
    fill = dict(n=n, m=m, k=k, n2=max(1, n - 3), place=PLACES[i % len(PLACES)], day=WEEKDAYS[i % 7],
                source=SOURCES[i % len(SOURCES)])
    lede = LEDES[i % len(LEDES)].format(**fill)
    lede = lede[0].upper() + lede[1:]
    paragraphs = [lede] + [BODIES[(i + j) % len(BODIES)].format(**fill) for j in range(1 + i % 4)]
    return {"id": f"fixture-{i:03d}", "title": f"Invented report {i}: attack on {fill['place']}",
            "text": "\n\n".join(paragraphs), "published": f"2022-{3 + i % 9:02d}-{1 + i % 27:02d}"}


def write_jsonl(path: Path, count: int = 40, broken_at: tuple[int, ...] = ()) -> Path:
    """``broken_at``: line numbers (1-based) replaced by a malformed JSON line."""
    lines = [json.dumps(article(i)) for i in range(count)]
    for line_no in broken_at:
        lines[line_no - 1] = '{"id": "broken", "text": "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
