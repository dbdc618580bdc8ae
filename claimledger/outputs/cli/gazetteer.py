"""``claimledger gazetteer import|status|remove``: village-level places from GeoNames country dumps.

The built-in gazetteer (cities500) knows places of 500 people or more; the war is fought over
villages.  An analyst downloads the GeoNames dump of the country they follow (``UA.zip``,
``SD.zip``, from GeoNames' export/dump folder) and imports it once; every later command
(extract, ingest, serve, the Dask engine) uses it.  This command never downloads anything.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from claimledger.outputs.cli.main import UserError


def register(sub) -> None:
    p = sub.add_parser(
        "gazetteer", help="import GeoNames country dumps (XX.zip) for village-level geocoding; status; remove",
        description="Village-level geocoding from GeoNames country dumps.\n\n"
                    "  claimledger gazetteer import UA.zip      # once; idempotent\n"
                    "  claimledger gazetteer status             # what is imported\n"
                    "  claimledger gazetteer remove UA\n\n"
                    "Dumps are kept in $CLAIMLEDGER_HOME/gazetteer (default: the platform's user data folder). "
                    "Contains data from GeoNames (geonames.org), CC BY 4.0.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    gsub = p.add_subparsers(dest="gazetteer_command", metavar="ACTION")
    imp = gsub.add_parser("import", help="import GeoNames country dumps (XX.zip or XX.txt, 19 tab-separated columns)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(func=run_import)
    st = gsub.add_parser("status", help="list imported dumps: country, features, source file, date, hash")
    st.add_argument("--format", choices=["text", "json"], default="text")
    st.set_defaults(func=run_status)
    rm = gsub.add_parser("remove", help="forget an imported country (its two-letter code)")
    rm.add_argument("countries", nargs="+", metavar="XX")
    rm.set_defaults(func=run_remove)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _say(msg: str) -> None:
    print(f"  {msg}", file=sys.stderr, flush=True)


def _rebuild() -> tuple[int, float, Path]:
    """Build (or reuse) the combined index now, so the next command loads it at once."""
    from claimledger.analyse import gazetteer as gz

    t0 = time.perf_counter()
    gz.reset()
    try:
        g = gz.get() if gz.cache_path().exists() else gz.Gazetteer(gz.load(progress=_say))
    except OSError as exc:
        raise UserError(f"cannot write the index: {exc}") from None
    return len(g), time.perf_counter() - t0, gz.cache_path()


def run_import(args) -> int:
    from claimledger.analyse.gazetteer_import import ATTRIBUTION, DumpError, import_dump

    changed = False
    for name in args.files:
        t0 = time.perf_counter()
        print(f"importing {name}", file=sys.stderr, flush=True)
        try:
            meta, new = import_dump(Path(name), progress=_say)
        except DumpError as exc:
            raise UserError(str(exc)) from None
        except (OSError, UnicodeError) as exc:
            raise UserError(f"{name}: {exc}") from None
        changed |= new
        verb = "imported" if new else "already imported (same file)"
        print(f"{meta['country']}: {verb}: {meta['features']:,} features ({meta['populated']:,} populated places, "
              f"{meta['divisions']:,} divisions) from {meta['source']} in {time.perf_counter() - t0:.1f}s")
    n, secs, path = _rebuild()
    size = path.stat().st_size / 1e6 if path.exists() else 0.0
    print(f"index: {n:,} entries, {size:.1f} MB, ready in {secs:.1f}s ({path})")
    print(ATTRIBUTION)
    return 0


def run_status(args) -> int:
    import json

    from claimledger.analyse.gazetteer_import import ATTRIBUTION, imported, store_dir

    metas = imported()
    if args.format == "json":
        print(json.dumps({"home": str(store_dir()), "imported": metas, "attribution": ATTRIBUTION}, indent=2))
        return 0
    if not metas:
        print(f"no country dump imported ({store_dir()}); using the built-in gazetteer (GeoNames cities500)")
        print("import one with: claimledger gazetteer import XX.zip")
        print(ATTRIBUTION)
        return 0
    print(f"{'country':8} {'features':>9}  {'source':14} {'dump date':10}  {'imported':20}  sha256")
    for m in metas:
        print(f"{m['country']:8} {m['features']:>9,}  {m['source']:14} {m.get('dump_date', ''):10}  "
              f"{m['imported']:20}  {m['sha256'][:16]}")
    print(f"in {store_dir()}")
    print(ATTRIBUTION)
    return 0


def run_remove(args) -> int:
    from claimledger.analyse.gazetteer_import import remove

    missing = []
    for cc in args.countries:
        if remove(cc):
            print(f"{cc.upper()}: removed")
        else:
            missing.append(cc.upper())
    if len(missing) < len(args.countries):
        _rebuild()
    if missing:
        raise UserError(f"not imported: {', '.join(missing)} (see `claimledger gazetteer status`)")
    return 0
