"""Running the extractor on more than one core: local processes or a Dask cluster.

Both engines share one contract with :func:`claimledger.scale.local.run`: every input yields exactly
one :class:`~claimledger.runner.Outcome`, in input order, so the output (and the ledger the client
writes from it) is byte-identical whatever the engine or the number of workers.
"""
