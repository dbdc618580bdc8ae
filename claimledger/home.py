"""Where claimledger keeps what a user adds to it (imported gazetteers): ``$CLAIMLEDGER_HOME``.

Distinct from the cache (``$CLAIMLEDGER_CACHE``, rebuildable at any time from the installed
packages): what is in the data directory came from the user's own files and cannot be rebuilt
without them, so it lives where the platform keeps user data, not under a cache folder that
cleaners empty.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """``$CLAIMLEDGER_HOME``, else the platform's per-user data folder plus ``claimledger``."""
    env = os.environ.get("CLAIMLEDGER_HOME")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return Path(base) / "claimledger" if base else Path.home() / "AppData" / "Local" / "claimledger"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "claimledger"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "claimledger"
