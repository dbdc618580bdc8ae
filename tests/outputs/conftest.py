"""The ledger tests' PostgreSQL fixtures, so the API is tested on both stores too."""

from ledger.conftest import pg_server_url, pg_url  # noqa: F401
