#!/usr/bin/env bash
# Installs what server-side PDF of the generated documents needs (core/documents/pdf.py): Debian's
# LibreOffice Writer without its desktop parts, the free fonts that core/documents/fonts.conf maps
# the official fonts to (Noto CJK for 宋体/黑体/仿宋/小标宋, AR PL UKai for 楷体), and poppler's
# pdftotext, with which the tests read the PDF back. Needs root, as on CI and the development machines.
set -euo pipefail
packages=(libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing for the PDF of generated documents: ${missing[*]}; run 'sudo apt-get install -y ${missing[*]}'." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
soffice --version
