"""kill -9 in the middle of a 1,000-document ingest: whole documents only, and a rerun finishes the job.

Runs the real CLI in a subprocess over invented one-sentence reports (real extraction), kills it
with SIGKILL once some documents are committed, checks every stored document is complete, then
reruns and compares with a clean single run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

TOWNS = ["Kharkiv", "Odesa", "Mykolaiv", "Zaporizhzhia", "Dnipro", "Kherson", "Sumy", "Chernihiv", "Kramatorsk",
         "Poltava"]
SOURCES = ["regional officials said", "the governor said", "police said", "the city council said"]


def write_articles(path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(count):
            town = TOWNS[i % len(TOWNS)]
            text_ = (f"{2 + i % 17} people were killed and {1 + i % 9} wounded when a missile hit {town} on "
                     f"Monday, {SOURCES[i % 4]}. Report {i}.")
            month, day = 3 + (i // 28) % 9, 1 + (i * 7) % 28
            fh.write(json.dumps({"id": f"t{i:04d}", "text": text_, "published": f"2022-{month:02d}-{day:02d}"}) + "\n")


def ingest_cmd(path, url):
    return [sys.executable, "-m", "claimledger.outputs.cli.main", "ingest", str(path), "--db", url,
            "--workers", "1", "--quiet"]


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    except Exception:  # the schema may not exist yet in the first instants
        return 0
    finally:
        engine.dispose()


def state(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        docs = conn.execute(text("SELECT id, n_claims, n_events FROM documents")).all()
        claims = dict(conn.execute(text("SELECT doc_id, count(*) FROM claims GROUP BY doc_id")).all())
        events = dict(conn.execute(text("SELECT doc_id, count(*) FROM doc_events GROUP BY doc_id")).all())
        orphans = conn.execute(text(
            "SELECT count(*) FROM doc_events d LEFT JOIN ledger_events l ON l.id = d.ledger_id "
            "WHERE l.id IS NULL")).scalar_one()
        grouping = sorted(conn.execute(text("SELECT ledger_id, id FROM doc_events ORDER BY id")).all())
        ledger = sorted(tuple(r) for r in conn.execute(text(
            "SELECT id, deaths_low, deaths_best, deaths_high, n_documents FROM ledger_events")).all())
    engine.dispose()
    incomplete = [d for d, nc, ne in docs if claims.get(d, 0) != nc or events.get(d, 0) != ne]
    return {"documents": len(docs), "incomplete": incomplete, "orphans": orphans, "grouping": grouping,
            "ledger": ledger, "claims": sum(claims.values())}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_mid_ingest_then_rerun(tmp_path, request, backend):
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, 1000)
    url = f"sqlite:///{tmp_path / 'killed.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(ingest_cmd(articles, url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while count(url, "SELECT count(*) FROM documents") < 50:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after_kill = state(url)
    assert 50 <= after_kill["documents"] < 1000, "the kill must land mid-ingest"
    assert after_kill["incomplete"] == [] and after_kill["orphans"] == 0

    rerun = subprocess.run(ingest_cmd(articles, url), capture_output=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr.decode()
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"  # the reference run; on SQLite for both backends
    clean = subprocess.run(ingest_cmd(articles, clean_url), capture_output=True, env=env, timeout=600)
    assert clean.returncode == 0, clean.stderr.decode()
    resumed, single = state(url), state(clean_url)
    assert resumed["documents"] == single["documents"] == 1000
    assert resumed["incomplete"] == [] and resumed["orphans"] == 0
    assert resumed["claims"] == single["claims"] > 0
    assert resumed["grouping"] == single["grouping"]        # same merge whatever happened on the way
    assert resumed["ledger"] == single["ledger"]
