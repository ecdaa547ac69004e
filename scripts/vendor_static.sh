#!/usr/bin/env bash
# Vendors the front-end libraries from the npm registry into zhaoshang/static/vendor/.
# Run it when a version below changes; the result is committed, so nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=zhaoshang/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch PACKAGE@VERSION FILE-IN-PACKAGE TARGET-NAME
  local spec=$1 file=$2 target=$3
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  local tarball
  tarball=$(ls -t "$tmp"/*.tgz | head -1)
  tar -xzf "$tarball" -C "$tmp" "package/$file"
  # Drop the source-map reference: the map is not vendored, and collectstatic's manifest storage
  # refuses a CSS file that points at a missing file.
  sed -e '/sourceMappingURL=/d' "$tmp/package/$file" > "$dest/$target"
  rm -rf "$tmp/package" "$tarball"
  echo "vendored $spec $file -> $dest/$target"
}

mkdir -p "$dest"
fetch bootstrap@5.3.9 dist/css/bootstrap.min.css bootstrap.min.css
fetch htmx.org@2.0.11 dist/htmx.min.js htmx.min.js
fetch echarts@6.1.0 dist/echarts.min.js echarts.min.js
fetch sortablejs@1.15.7 Sortable.min.js Sortable.min.js
# Tom Select (Apache-2.0): searchable selects, enhanced by zhaoshang/static/zhaoshang/selects.js.
fetch tom-select@2.6.2 dist/js/tom-select.complete.min.js tom-select.complete.min.js
fetch tom-select@2.6.2 dist/css/tom-select.bootstrap5.min.css tom-select.bootstrap5.min.css
