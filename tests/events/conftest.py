"""One pipeline for every events test: loading spaCy and the gazetteer once is most of their time."""

import pytest

from claimledger.pipeline import default_pipeline


@pytest.fixture(scope="session")
def nlp():
    return default_pipeline()
