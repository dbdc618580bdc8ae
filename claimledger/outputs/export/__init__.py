"""Exports of the ledger: events JSONL (the contract), ACLED CSV, UCDP GED CSV, GeoJSON, claims CSV.

Each module has ``write(store, fh)``; ``FORMATS`` maps the ``--format`` names to them.
"""

from __future__ import annotations

FORMATS = {
    "events-jsonl": "claimledger.outputs.export.events_jsonl",
    "acled-csv": "claimledger.outputs.export.acled",
    "ucdp-csv": "claimledger.outputs.export.ucdp",
    "geojson": "claimledger.outputs.export.geojson",
    "claims-csv": "claimledger.outputs.export.claims_csv",
}
