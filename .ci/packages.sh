#!/usr/bin/env bash
# Installs Debian packages the tests need when their program is missing: `packages.sh PROGRAM=PACKAGE ...`;
# PROGRAM is a name looked up on the PATH, or a path pattern (/usr/lib/postgresql/*/bin/initdb).
# As root, or with sudo; elsewhere it says what to install and the tests that need it skip.
set -uo pipefail
missing=()
for pair in "$@"; do
  program="${pair%%=*}"
  package="${pair#*=}"
  if [[ "$program" == */* ]]; then
    compgen -G "$program" >/dev/null || missing+=("$package")
  elif ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/bin/$program" ] && [ ! -x "/usr/sbin/$program" ]; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "not root and no sudo: install ${missing[*]} (apt-get install -y ${missing[*]}); tests that need them skip" >&2
    exit 0
  fi
fi
echo "== installing ${missing[*]} from Debian's packages"
# the packages' own services are not used: tests start their own servers on free loopback ports
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
  || { $sudo apt-get update -qq >/dev/null 2>&1 \
       && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } \
  || { echo "could not install ${missing[*]}" >&2; exit 1; }
