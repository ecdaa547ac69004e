#!/usr/bin/env bash
# Installs what server-side PDF of the generated documents needs (core/documents/pdf.py): Debian's
# LibreOffice Writer without its desktop parts, the free fonts that core/documents/fonts.conf maps
# the official fonts to (Noto CJK for 宋体/黑体/小标宋, AR PL UKai for 楷体, FandolFang for 仿宋), and
# poppler's pdftotext and pdftoppm, with which the tests read the PDF back. Needs root, as on CI and
# the development machines.
#
# FandolFang (GPL with font exception) ships only inside Debian's texlive-lang-chinese, which
# drags in TeX Live: the script downloads that one package at a pinned version, takes the font file
# out (its SHA-256 checked) and installs it alone under /usr/local/share/fonts.
set -euo pipefail
"$(dirname "$0")/apt_install.sh" "the PDF of generated documents" \
  libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai poppler-utils fontconfig

FANDOL_PACKAGE=texlive-lang-chinese=2022.20230122-1
FANDOL_FILE=usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
FANDOL_SHA256=d838ad32ce2244d8144f408c37fe71065aba6fbbc80759a4d2aa2033948d5bc9
FONT_DIR=/usr/local/share/fonts/fandol
if ! fc-list "FandolFang" family | grep -q .; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "FandolFang is missing for the PDF of generated documents; run this script as root." >&2
    exit 1
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The package lists may be empty (a fresh container): update them once if the download fails.
  (cd "$work" && apt-get download -qq "$FANDOL_PACKAGE" 2>/dev/null) \
    || (apt-get update -qq && cd "$work" && apt-get download -qq "$FANDOL_PACKAGE" 2>/dev/null)
  dpkg-deb --fsys-tarfile "$work"/texlive-lang-chinese_*.deb | tar -x -C "$work" "./$FANDOL_FILE"
  echo "$FANDOL_SHA256  $work/$FANDOL_FILE" | sha256sum --check --quiet
  install -D -m 0644 "$work/$FANDOL_FILE" "$FONT_DIR/FandolFang-Regular.otf"
  fc-cache -f "$FONT_DIR" >/dev/null
fi
