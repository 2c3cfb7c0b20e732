#!/usr/bin/env bash
# Runs OnCallFunctions locally in standalone mode on http://localhost:7071 against Azurite, loads the sample
# rotations, and prints URLs to try. Ctrl+C stops the app (and Azurite, if this script started it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

url=${ONCALL_URL:-http://localhost:7071}
npm_install

# Settings: local.settings.json (git-ignored) from the sample, with a fresh admin key.
if [ ! -f local.settings.json ]; then
  key=$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")
  sed "s/replace-with-a-long-random-secret/$key/" local.settings.sample.json > local.settings.json
  echo "Wrote local.settings.json with a new admin key."
fi
admin_key=$(node -e "const v=require('./local.settings.json').Values; console.log(v['OnCall__AdminKey'] ?? v['OnCall:AdminKey'])")

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# Azurite, unless something already answers on its ports. Data persists in .azurite/ (git-ignored).
if port_open 10002; then
  echo "Storage already answers on 127.0.0.1:10002; using it."
else
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --loose --disableTelemetry \
    --location .azurite > .azurite/azurite.log 2>&1 &
  pids+=($!)
  wait_for_port 10000 30 && wait_for_port 10001 30 && wait_for_port 10002 30 || { echo "Azurite did not start; see .azurite/azurite.log"; exit 1; }
  echo "Azurite started (data in .azurite/)."
fi

dotnet build src/OnCall.Functions -c Release --nologo -v quiet
dotnet src/OnCall.Functions/bin/Release/net10.0/OnCall.Functions.dll --urls "$url" &
app=$!
pids+=($app)
for _ in $(seq 1 300); do
  curl -fsS "$url/api/health" >/dev/null 2>&1 && break
  kill -0 "$app" 2>/dev/null || { echo "The app exited; see its output above."; exit 1; }
  sleep 0.2
done

# Sample rotations. A feed token is shown only when a rotation is created, so keep its URL for later runs.
mkdir -p .azurite/feeds
feeds=()
for file in samples/rotations/*.json; do
  id=$(node -e "console.log(require('./$file').id)")
  response=$(curl -sS -X PUT "$url/api/rotations/$id" -H "x-functions-key: $admin_key" -H 'content-type: application/json' --data-binary "@$file")
  feed=$(node -e "try { console.log(JSON.parse(process.argv[1]).feedUrl ?? '') } catch { console.log('') }" "$response")
  if [ -n "$feed" ]; then
    echo "$feed" > ".azurite/feeds/$id.url"
  elif [ ! -s ".azurite/feeds/$id.url" ]; then
    curl -sS -X POST "$url/api/rotations/$id/feed-token" -H "x-functions-key: $admin_key" \
      | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).feedUrl))" > ".azurite/feeds/$id.url"
  fi
  feeds+=("$id|$(cat ".azurite/feeds/$id.url")")
done

echo
echo "OnCallFunctions is running on $url (admin key in local.settings.json, header x-functions-key)."
echo "  Health:           $url/api/health"
echo "  Rotations:        $url/api/rotations"
for entry in "${feeds[@]}"; do
  id=${entry%%|*}
  echo "  On call now:      $url/api/rotations/$id/oncall"
  echo "  Shifts:           $url/api/rotations/$id/shifts"
  echo "  ICS feed:         ${entry#*|}"
done
echo "Press Ctrl+C to stop."
wait "$app"
