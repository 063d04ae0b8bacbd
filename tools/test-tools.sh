#!/usr/bin/env bash
# Installs and builds what the tests need beyond Java; run by `./mvnw test` (phase
# process-test-classes, after test-compile: the offline render does not need Go) and quick when
# everything is in place. Idempotent.
#
# - Go and sprig, from Debian/Ubuntu packages (golang-go, golang-github-masterminds-sprig-dev):
#   tools/go-template renders External Secrets Operator templates with the real engine.
# - target/go-template/go-template, built in GOPATH mode (no Go module proxy needed), rebuilt only
#   when missing or older than its source.
# kubectl, which the tests also run, is expected on PATH (GitHub's runners have it).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(golang-go golang-github-masterminds-sprig-dev)
sprig=/usr/share/gocode/src/github.com/Masterminds/sprig
source=tools/go-template/main.go
out=target/go-template
binary=$out/go-template

if ! command -v go > /dev/null || [ ! -d "$sprig" ]; then
  explain() {
    echo "test-tools: need Go and sprig 3 sources in $sprig ($1); install the Debian/Ubuntu packages:" >&2
    echo "  ${packages[*]}" >&2
    exit 1
  }
  command -v apt-get > /dev/null || explain "no apt-get here"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null && sudo -n true 2> /dev/null || explain "not root, and no password-less sudo"
    sudo=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they do not know the packages yet (e.g. a fresh container).
  if ! apt-cache show "${packages[@]}" > /dev/null 2>&1; then
    echo "test-tools: apt-get update" >&2
    "${sudo[@]}" apt-get update -qq
  fi
  install() { "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null; }
  echo "test-tools: installing ${packages[*]}" >&2
  # Stale lists (e.g. a CI image's) name package versions the mirror no longer has: refresh once, retry.
  install || { "${sudo[@]}" apt-get update -qq && install; }
fi

if [ ! -x "$binary" ] || [ "$source" -nt "$binary" ]; then
  echo "test-tools: building $binary" >&2
  mkdir -p "$out/gopath"
  # CGO_ENABLED=0: no C compiler needed; the program does no DNS or other cgo-backed work.
  GO111MODULE=off GOPATH="$PWD/$out/gopath:/usr/share/gocode" GOFLAGS= CGO_ENABLED=0 \
    go build -o "$binary" "./${source%/main.go}"
fi
