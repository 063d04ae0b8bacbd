#!/usr/bin/env bash
# Regenerates the golden .dockerconfigjson files from kubectl itself (client only, works offline).
# The tests compare what the program writes with these, byte for byte.
set -euo pipefail
cd "$(dirname "$0")"

render() { # OUTPUT SERVER USERNAME PASSWORD [EMAIL]
  local args=(create secret docker-registry golden --docker-server="$2" --docker-username="$3"
              --docker-password="$4" --dry-run=client -o 'jsonpath={.data.\.dockerconfigjson}')
  if [ $# -ge 5 ]; then args+=(--docker-email="$5"); fi
  kubectl "${args[@]}" | base64 -d > "$1"
}

# As in the manual steps: "$(cat key.json)" drops the key file's final newline.
key="$(cat key.json)"
render eu.gcr.io-with-email.json eu.gcr.io _json_key "$key" platform-team@acme.example
render eu.gcr.io.json eu.gcr.io _json_key "$key"
render europe-west1-docker.pkg.dev.json europe-west1-docker.pkg.dev _json_key "$key"
render ghcr.io.json ghcr.io acme-bot ghp_exampletoken
render docker-hub.json https://index.docker.io/v1/ acme-bot dckr_pat_example
# Characters Go's encoding/json escapes in its own ways: HTML, control characters, U+2028 and U+2029.
render escaping.json registry.example _json_key $'<a href="x">&</a> \\ \t \a \b \f \r \u2028 \u2029 \x7f é'
