"""HTTP API and web page over the ledger (``claimledger serve``); needs the [web] extra."""

from claimledger.outputs.api.app import app_from_env, create_app

__all__ = ["create_app", "app_from_env"]
