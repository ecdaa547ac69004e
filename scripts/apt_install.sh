#!/usr/bin/env bash
# Installs the Debian packages named after the first argument (what they are for) when any is
# missing; the install scripts of the test suite call it. Needs root, as on CI and the development
# machines; anyone else is told the apt-get line to run.
set -euo pipefail
purpose=$1
shift
missing=()
for p in "$@"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing for ${purpose}: ${missing[*]}; run 'sudo apt-get install -y ${missing[*]}'." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
