"""Place tests run against the built-in gazetteer: a developer's own imported country dumps
($CLAIMLEDGER_HOME) must not change what they expect."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _empty_claimledger_home(tmp_path_factory):
    from claimledger.analyse import gazetteer

    mp = pytest.MonkeyPatch()
    mp.setenv("CLAIMLEDGER_HOME", str(tmp_path_factory.mktemp("claimledger-home")))
    gazetteer.reset()
    yield
    mp.undo()
    gazetteer.reset()
