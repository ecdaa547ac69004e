#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own) and CJK fonts so that screenshots show Chinese text. Needs root,
# as on CI and the development machines.
set -euo pipefail
"$(dirname "$0")/apt_install.sh" "the browser tests" chromium fonts-noto-cjk
