#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own). Needs root, as on CI and the development machines.
set -euo pipefail
if command -v chromium >/dev/null; then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
chromium --version
