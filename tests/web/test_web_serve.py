"""``claimledger serve`` as a user runs it: a real process, loopback by default, token from the env."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from web_fixtures import TOKEN, free_port

# the installed entry point, as a user runs it (``python -m ...cli.main`` would load main.py twice)
CLI = str(Path(sys.executable).parent / "claimledger")


def _start(args: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([CLI, "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def _get(url: str, deadline: float = 30) -> dict:
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.loads(r.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_serve_binds_loopback_and_reads_the_token_from_the_environment(ledger_url):
    port = free_port()
    proc = _start(["--db", ledger_url, "--port", str(port)], env={"CLAIMLEDGER_TOKEN": TOKEN})
    try:
        assert _get(f"http://127.0.0.1:{port}/api/health")["ledger"] == "ok"
        assert _get(f"http://127.0.0.1:{port}/api/config")["writes"] is True
        assert _get(f"http://127.0.0.1:{port}/api/summary")["events"] == 6
    finally:
        out = _stop(proc)
    assert f"http://127.0.0.1:{port}/" in out
    assert "writes on" in out


def test_serve_without_token_is_read_only(ledger_url):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CLAIMLEDGER_TOKEN"}
    proc = subprocess.Popen([CLI, "serve", "--db", ledger_url,
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert _get(f"http://127.0.0.1:{port}/api/config")["writes"] is False
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/documents", data=b"Two killed in Kyiv.",
                                     headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"})
        try:
            urllib.request.urlopen(req, timeout=10)
            raise AssertionError("a write succeeded on a read-only server")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
    finally:
        assert "writes off" in _stop(proc)


def test_serve_refuses_a_short_token_and_a_bad_port():
    for args in (["--token", "abc"], ["--port", "70000"]):
        proc = _start(args)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 2
        assert err.startswith("claimledger serve:") and "Traceback" not in err
