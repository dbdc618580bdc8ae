#!/usr/bin/env bash
# Score named subsets of the dev gold articles (claims + events), from the project root:
#   bench/dev_subsets.sh [new12|hold5|work20]...
# new12: the 12 articles added to the dev gold in session 9 (scored once, before anyone read them,
#        as the "first look" in docs/quality.md);
# hold5: five articles set aside at the start of session 9, never read while writing rules, reported
#        beside the other 20 to show how much the rules are still fitted;
# work20: the other 20. Skips cleanly when ../shared is absent.
set -u
shared=${CLAIMLEDGER_SHARED:-../shared}
[ -d "$shared/gold/dev" ] || { echo "skip: $shared/gold/dev not found"; exit 0; }
cl=${CLAIMLEDGER:-$(command -v claimledger || echo .venv/bin/claimledger)}
new12="bbc-e30443bec2e1df51 cbs-6bae5a2a778791ee cbs-e1fdad5200fe0cd7 cnn-140ee7f7e610f15c cnn-7ba987d77a667bea
fox-3e03a1ed1a43660d fox-c1ab476822446408 fox-db034259312b64c2 huffpost-70b0559712a49c3f mirror-8de633d002f29436
mirror-b2e1e166efa45678 mirror-badd88c9c9d0e0a2"
hold5="cnn-7ba987d77a667bea fox-c1ab476822446408 huffpost-70b0559712a49c3f mirror-8de633d002f29436 cbs-3829c146f7c47012"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for name in ${*:-new12 hold5 work20}; do
  case $name in
    new12) ids=$new12 ;;
    hold5) ids=$hold5 ;;
    work20) ids=$(ls "$shared/gold/dev/"*.json | xargs -n1 basename | sed 's/\.json$//' | grep -vxF -f <(tr ' ' '\n' <<<"$hold5")) ;;
    *) echo "unknown subset: $name (new12, hold5, work20)"; continue ;;
  esac
  d="$tmp/$name"; mkdir -p "$d"
  for i in $ids; do cp "$shared/gold/dev/$i.json" "$shared/gold/dev/$i.txt" "$d/"; done
  python3 "$shared/eval/score.py" articles --gold-dir "$d" >"$d.in.jsonl"
  "$cl" extract "$d.in.jsonl" --format jsonl >"$d.pred.jsonl" 2>/dev/null
  echo "== $name"; python3 "$shared/eval/score.py" claims --gold-dir "$d" --pred "$d.pred.jsonl" --quiet
done
