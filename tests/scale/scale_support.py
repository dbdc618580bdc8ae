"""Helpers shared by the scale tests (a module of its own: every test folder has a conftest, and
`from conftest import ...` would find whichever was imported first)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))  # the stub pipeline module, also for worker processes (PYTHONPATH below)


STUB = "claimledger_scale_stub:build"


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("CLAIMLEDGER_DB", None)
    return env


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The installed ``claimledger`` command, as a user runs it (stdout is a pipe, so no bar)."""
    exe = VENV_BIN / "claimledger"
    return subprocess.run([str(exe), *args], capture_output=True, cwd=cwd or ROOT, env=_env(), timeout=timeout)


def claimledger_lines(stderr: bytes) -> list[str]:
    """The per-input messages on stderr, in order (not the timing summary, not Dask's own logs)."""
    return [ln for ln in stderr.decode().splitlines() if ln.startswith("claimledger: ")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group this fixture created (the nanny and its worker child)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    """Running, not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def survivors(workers: set[int], grace: float = 5.0) -> list[int]:
    """The workers still running ``grace`` seconds after their parent was killed (none, if all is well)."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    return [w for w in workers if alive(w)]
