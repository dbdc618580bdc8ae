#!/bin/sh
# Refresh the vendored browser assets from the npm registry (run from anywhere; needs npm).
# Versions are pinned here; bump them deliberately and re-run the browser tests.
set -eu
WEB="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
V="$WEB/vendor"
mkdir -p "$V/leaflet" "$V/leaflet.markercluster" "$V/topojson-client" "$V/world-atlas"
cp leaflet-1.9.4/package/dist/leaflet.js leaflet-1.9.4/package/dist/leaflet.css leaflet-1.9.4/package/LICENSE "$V/leaflet/"
P=leaflet.markercluster-1.5.3/package
cp $P/dist/leaflet.markercluster.js $P/dist/MarkerCluster.css $P/dist/MarkerCluster.Default.css $P/MIT-LICENCE.txt "$V/leaflet.markercluster/"
cp topojson-client-3.1.0/package/dist/topojson-client.min.js topojson-client-3.1.0/package/LICENSE "$V/topojson-client/"
cp world-atlas-2.0.2/package/countries-50m.json world-atlas-2.0.2/package/LICENSE "$V/world-atlas/"
echo "vendored into $V"
