"""One router per concern; :func:`claimledger.outputs.api.app.create_app` includes them in order.

Adding an endpoint or a filter touches one module here: ``events.py`` for ``/api/events`` and the
map, ``claims.py`` for claims and places, ``documents.py`` for reading and posting documents,
``meta.py`` for health and configuration, ``page.py`` for the web page and its static files.
Shared query parameters and error responses are in :mod:`claimledger.outputs.api.params`.
"""
