#!/bin/sh
# Creates what docker-compose.yml mounts as secrets and configs, under .camket/compose/ (kept if there):
#   keys/{jwt,event-signing,checkpoint}.pem (+ .pub.pem)   by `camket dev-keys`
#   keys/webhook-secrets.key                               32 random bytes, base64 (notifications)
#   nats/<user>.password                                   one per NATS user of deploy/nats/accounts.conf
# The directory is 0700 (only you on the host); the files are 0644 because compose (without swarm)
# bind-mounts them as they are, and the containers run as uid 10001. .camket/ is never in the image.
set -eu
cd "$(dirname "$0")/.."
dir=${CAMKET_COMPOSE_DIR:-.camket/compose}  # docker-compose.yml expects the default
camket=${CAMKET_CLI:-.venv/bin/camket}
mkdir -p "$dir/nats"
chmod 0700 "$dir"
CAMKET_STATE_DIR="$dir" "$camket" dev-keys >/dev/null
webhook="$dir/keys/webhook-secrets.key"
[ -s "$webhook" ] || python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())' > "$webhook"
for user in publisher reporting notifications sealer commitments portal; do
  file="$dir/nats/$user.password"
  # nats-server reads these through environment variables and parses the value: a letter first,
  # then hex, so it is always a string.
  [ -s "$file" ] || python3 -c 'import secrets; print("k" + secrets.token_hex(24))' > "$file"
done
chmod 0644 "$dir"/keys/* "$dir"/nats/*
echo "compose secrets in $dir"
