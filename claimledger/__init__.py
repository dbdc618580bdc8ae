"""claimledger: source-attributed, geocoded, reconciled event ledger from conflict reporting."""

__version__ = "0.1.0"
