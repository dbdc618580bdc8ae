"""`claimledger extract` as a user meets it: every kind of input, and every kind of bad input.

Bad input must give one line naming the input, let the rest of the batch go on, and set the exit
status; never a traceback.
"""

import json
import os
import subprocess
import sys

import pytest

from claimledger.outputs.cli.main import main

REPORT = ("Shelling kills three in Kharkiv\n\nThree civilians were killed when Russian shells hit a market in "
          "Kharkiv on Monday, the regional governor said.\n")


def run(capsys, *args):
    code = main(["extract", *args, "--workers", "1"])
    out, err = capsys.readouterr()
    return code, out, err


def records(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_txt_with_title_and_published(tmp_path, capsys):
    f = tmp_path / "report.txt"
    f.write_text(REPORT)
    code, out, err = run(capsys, str(f), "--format", "jsonl", "--published", "2022-05-03")
    assert code == 0
    (rec,) = records(out)
    assert rec["doc"]["title"] == "Shelling kills three in Kharkiv"
    (claim,) = rec["claims"]
    assert claim["measure"] == "killed" and claim["quantity"]["value"] == 3
    assert claim["date"]["start"] == "2022-05-02"
    body_start = claim["evidence"]["start"]
    assert claim["evidence"]["text"].startswith("Three civilians") and body_start == 0


def test_date_in_file_name_is_the_publication_date(tmp_path, capsys):
    f = tmp_path / "wire-2022-05-03.txt"
    f.write_text(REPORT)
    _, out, _ = run(capsys, str(f), "--format", "jsonl")
    assert records(out)[0]["doc"]["published"] == "2022-05-03"


def test_html_page(tmp_path, capsys):
    f = tmp_path / "page.html"
    f.write_text("<html><head><title>Strike</title></head><body><nav>Menu</nav><article><h1>Strike</h1>"
                 "<p>" + REPORT.split("\n\n")[1] + "</p><p>Rescuers searched the rubble through the night, "
                 "officials said, and the market was closed.</p></article></body></html>")
    code, out, _ = run(capsys, str(f), "--format", "jsonl", "--published", "2022-05-03")
    assert code == 0 and records(out)[0]["claims"][0]["quantity"]["value"] == 3


def test_jsonl_batch_keeps_ids_and_order(tmp_path, capsys):
    f = tmp_path / "batch.jsonl"
    rows = [{"id": f"a{i}", "text": REPORT.split("\n\n")[1], "published": "2022-05-03"} for i in range(3)]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, out, _ = run(capsys, str(f), "--format", "jsonl")
    assert code == 0 and [r["doc"]["id"] for r in records(out)] == ["a0", "a1", "a2"]


def test_table_format_for_people(tmp_path, capsys):
    f = tmp_path / "report.txt"
    f.write_text(REPORT)
    code, out, _ = run(capsys, str(f), "--format", "table", "--published", "2022-05-03")
    assert code == 0 and "killed" in out and "Kharkiv" in out and "{" not in out


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path, capsys):
    (tmp_path / "a_empty.txt").write_text("")
    (tmp_path / "b_binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "c_latin1.txt").write_bytes("Tr\xe8s bien: 5 morts".encode("latin-1"))
    (tmp_path / "d_good.txt").write_text(REPORT)
    (tmp_path / "e_nonumbers.txt").write_text("Talks continued in Istanbul on Tuesday without progress.")
    (tmp_path / "f_batch.jsonl").write_text('{"id": "ok", "text": "Two people were killed in Sumy."}\n'
                                             '{"id": "broken", "text": \n'
                                             '{"id": "no-text"}\n'
                                             '{"id": "baddate", "text": "Two people were injured in Sumy.", '
                                             '"published": "sometime last spring"}\n')
    big = tmp_path / "g_big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    code, out, err = run(capsys, str(tmp_path), "--format", "jsonl")
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    for needle in ("a_empty.txt: empty input", "b_binary.txt: looks like", "c_latin1.txt: not valid UTF-8",
                   "f_batch.jsonl:2: malformed JSON:", "f_batch.jsonl:3: article has no \"text\"",
                   "g_big.txt: file is 52 MB", "e_nonumbers.txt: no claims found",
                   "f_batch.jsonl:4: warning: published date 'sometime last spring'"):
        assert any(needle in line for line in lines), (needle, lines)
    ids = [r["doc"]["id"] for r in records(out)]
    assert "ok" in ids and "baddate" in ids and len(ids) == 4  # d_good, e_nonumbers, ok, baddate


def test_missing_path_and_bad_options(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "nope.txt"))
    assert code == 1 and "nope.txt: no such file or folder" in err
    with pytest.raises(SystemExit):
        main(["extract", "x.txt", "--published", "03/05/2022"])
    assert "not a date in YYYY-MM-DD form" in capsys.readouterr().err


def test_stdin_as_a_real_process(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    proc = subprocess.run([sys.executable, "-m", "claimledger.outputs.cli.main", "extract", "-", "--format", "jsonl",
                           "--published", "2022-05-03", "--workers", "1", "-q"],
                          input=REPORT.split("\n\n")[1], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["measure"] == "killed"


@pytest.mark.parametrize("module", ["claimledger", "claimledger.outputs.cli.main"])
def test_a_user_error_in_a_real_process_is_one_line(tmp_path, module):
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    proc = subprocess.run([sys.executable, "-m", module, "ingest", str(tmp_path), "--db",
                           f"sqlite:///{tmp_path}/no/such/folder/l.db", "-q"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "does not exist" in proc.stderr
