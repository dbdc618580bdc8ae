"""Importing GeoNames country dumps (``XX.zip`` / ``XX.txt``) into ``$CLAIMLEDGER_HOME/gazetteer``.

GeoNames publishes one dump per country in one documented format: ``XX.txt``, 19 tab-separated
columns (geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature
code, country code, cc2, admin1..admin4 codes, population, elevation, dem, timezone, modification
date).  Nothing here is specific to one country: the analyst who follows Sudan imports ``SD.zip``
the same way.  Only what geocoding uses is kept (populated places, and ADM1/ADM2/ADM3 divisions
for "Zaporizhzhia oblast", "Kalmiuskyi raion"), as compact rows in ``XX.rows.marshal``, beside a
small ``XX.json`` saying where they came from.  The combined index is then rebuilt under a key
made of the dumps' hashes, so a re-import of the same file changes nothing and a newer dump
invalidates the old index.  Nothing is ever downloaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import marshal
import os
import re
import zipfile
from pathlib import Path

from claimledger.home import data_dir

ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"
COLUMNS = 19
ROWS_VERSION = 2  # what parse() keeps; a change re-reads dumps imported before it
_KEEP_ADMIN = frozenset({"ADM1", "ADM2", "ADM2H", "ADM3"})
# Historical entries (often a renamed town's old record) and religious centres; abandoned and
# destroyed places (PPLQ, PPLW) stay: fighting is reported at them.
_DROP_PLACES = frozenset({"PPLH", "PPLCH"})
_NAME_RE = re.compile(r"^([A-Z]{2})\.(?:zip|txt)$", re.I)


class DumpError(ValueError):
    """A file that is not a readable GeoNames country dump (one line, for the user)."""


def store_dir() -> Path:
    return data_dir() / "gazetteer"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open_text(path: Path):
    """The dump's text stream: ``XX.txt`` itself, or the ``XX.txt`` inside ``XX.zip``."""
    if zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        names = [n for n in zf.namelist() if _NAME_RE.match(Path(n).name) and n.lower().endswith(".txt")]
        if not names:
            raise DumpError(f"{path.name}: no XX.txt country file inside the zip (is this a GeoNames dump?)")
        return io.TextIOWrapper(zf.open(names[0]), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def parse(path: Path, progress=None) -> tuple[str, list[tuple], int, str]:
    """(country, kept rows, lines read, latest modification date) of one dump file."""
    rows: list[tuple] = []
    countries: dict[str, int] = {}
    latest = ""
    n = 0
    with _open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            f = line.rstrip("\n").split("\t")
            if len(f) != COLUMNS:
                if not line.strip():
                    continue
                raise DumpError(f"{path.name} line {n}: {len(f)} columns, a GeoNames dump has {COLUMNS}")
            fclass, fcode = f[6], f[7]
            if not ((fclass == "P" and fcode not in _DROP_PLACES) or (fclass == "A" and fcode in _KEEP_ADMIN)):
                continue
            try:
                lat, lon = round(float(f[4]), 5), round(float(f[5]), 5)
                gid, pop = int(f[0]), int(f[14] or 0)
            except ValueError:
                raise DumpError(f"{path.name} line {n}: unreadable id, coordinates or population") from None
            countries[f[8]] = countries.get(f[8], 0) + 1
            latest = max(latest, f[18])
            rows.append((gid, f[1], f[2], f[3], lat, lon, fcode, f[8], f[10], f[11], pop))
            if progress and n % 20000 == 0:
                progress(f"{path.name}: {n:,} lines read")
    if not rows:
        raise DumpError(f"{path.name}: no populated places or administrative divisions found")
    country = max(countries, key=countries.get)
    return country, rows, n, latest


def imported() -> list[dict]:
    """Metadata of every imported dump (country, features, source, dates, sha256)."""
    out = []
    try:
        metas = sorted(store_dir().glob("??.json"))
    except OSError:
        return out
    for p in metas:
        try:
            meta = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (store_dir() / f"{meta.get('country')}.rows.marshal").exists():
            out.append(meta)
    return out


def read_rows(country: str) -> list[tuple]:
    return marshal.loads((store_dir() / f"{country}.rows.marshal").read_bytes())


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def import_dump(path: Path, progress=None) -> tuple[dict, bool]:
    """Import one dump; returns its metadata and whether anything changed (False: same file)."""
    if not path.is_file():
        raise DumpError(f"{path}: no such file")
    sha = _sha256(path)
    for meta in imported():
        if meta["sha256"] == sha and meta.get("rows_version") == ROWS_VERSION:
            return meta, False
    country, rows, lines, latest = parse(path, progress)
    meta = {"country": country, "rows_version": ROWS_VERSION, "features": len(rows), "lines": lines, "source": path.name,
            "source_path": str(path.resolve()), "sha256": sha, "dump_date": latest,
            "imported": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "populated": sum(1 for r in rows if r[6].startswith("PPL")),
            "divisions": sum(1 for r in rows if r[6] in _KEEP_ADMIN)}
    d = store_dir()
    d.mkdir(parents=True, exist_ok=True)
    _write_bytes(d / f"{country}.rows.marshal", marshal.dumps(rows))
    _write_bytes(d / f"{country}.json", json.dumps(meta, indent=1).encode("utf-8"))
    return meta, True


def remove(country: str) -> bool:
    """Forget an imported country; True if there was one."""
    country = country.upper()
    d = store_dir()
    found = False
    for name in (f"{country}.json", f"{country}.rows.marshal"):
        p = d / name
        if p.exists():
            p.unlink()
            found = True
    return found
