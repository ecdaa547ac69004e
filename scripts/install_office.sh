#!/usr/bin/env bash
# Installs what server-side PDF of the generated documents needs (core/documents/pdf.py): Debian's
# LibreOffice Writer without its desktop parts, the free fonts that core/documents/fonts.conf maps
# the official fonts to (Noto CJK for 宋体/黑体/仿宋/小标宋, AR PL UKai for 楷体), and poppler's
# pdftotext, with which the tests read the PDF back. Needs root, as on CI and the development machines.
set -euo pipefail
"$(dirname "$0")/apt_install.sh" "the PDF of generated documents" \
  libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai poppler-utils
