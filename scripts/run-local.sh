#!/usr/bin/env bash
# Runs OnCallFunctions locally in standalone mode against Azurite, loads the sample rotations that are not there
# yet, and prints URLs to try. Ctrl+C stops the app (and Azurite, if this script started it).
# ONCALL_URL (default http://localhost:7071) is where the app listens.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

url=${ONCALL_URL:-http://localhost:7071}
npm_install

# Settings: local.settings.json (git-ignored) from the sample; the admin and read-only keys and the four webhook
# secrets get fresh random values when empty (an existing file keeps the values it has).
written=$(write_local_settings local.settings.sample.json local.settings.json)
[ -n "$written" ] && echo "local.settings.json: new random $written."
setting() { node -e "const v=require('./local.settings.json').Values; const k=process.argv[1]; console.log(process.env[k] ?? v[k] ?? v[k.replaceAll('__', ':')] ?? '')" "$1"; }
admin_key=$(setting OnCall__AdminKey)
read_key=$(setting OnCall__ReadKey); read_key=${read_key:-$admin_key}
prefix=$(setting OnCall__Storage__Prefix); prefix=${prefix:-oncall}
storage=$(setting AzureWebJobsStorage)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# Storage. Azurite's default ports when they are free; when something already answers on any of them (another
# checkout's Azurite?), this checkout's own Azurite on free ports instead, so two apps never share data or timers.
# Either way its data persists in .azurite/ (git-ignored).
start_azurite() {
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --loose --disableTelemetry \
    --location .azurite --blobPort "$1" --queuePort "$2" --tablePort "$3" > .azurite/azurite.log 2>&1 &
  pids+=($!)
  wait_for_port "$1" 30 && wait_for_port "$2" 30 && wait_for_port "$3" 30 || { echo "Azurite did not start; see .azurite/azurite.log"; exit 1; }
}
if [ "$storage" != "UseDevelopmentStorage=true" ]; then
  echo "Storage: the account in AzureWebJobsStorage (not Azurite), table/queue prefix '$prefix'."
elif port_open 10000 || port_open 10001 || port_open 10002; then
  ports=($(free_ports 3))
  start_azurite "${ports[@]}"
  export AzureWebJobsStorage
  AzureWebJobsStorage=$(azurite_connection_string "${ports[@]}")
  echo "Storage: something else already answers on Azurite's ports (10000-10002), so this checkout runs its own Azurite"
  echo "         on ports ${ports[0]} (blob), ${ports[1]} (queue), ${ports[2]} (table), data in .azurite/; AzureWebJobsStorage"
  echo "         points there for this run only. Table/queue prefix '$prefix'."
else
  start_azurite 10000 10001 10002
  echo "Storage: Azurite started by this script on its default ports (data in .azurite/), table/queue prefix '$prefix'."
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

# Sample rotations: created only when absent, so edits made through the API survive a restart. A feed token is
# shown only when a rotation is created; its URL is kept in .azurite/feeds/ and never rotated here.
mkdir -p .azurite/feeds
ids=()
for file in samples/rotations/*.json; do
  id=$(node -e "console.log(require('./$file').id)")
  ids+=("$id")
  status=$(curl -sS -o /dev/null -w '%{http_code}' "$url/api/rotations/$id" -H "x-functions-key: $admin_key")
  if [ "$status" = 404 ]; then
    response=$(curl -sS -X PUT "$url/api/rotations/$id" -H "x-functions-key: $admin_key" -H 'content-type: application/json' --data-binary "@$file")
    node -e "try { console.log(JSON.parse(process.argv[1]).feedUrl ?? '') } catch { console.log('') }" "$response" > ".azurite/feeds/$id.url"
    echo "Loaded sample rotation '$id' from $file."
  else
    echo "Rotation '$id' already exists; left as it is (not reloaded from $file)."
  fi
done

# Handoffs of the last and next 24 hours, now rather than at the timer's next five-minute mark.
curl -fsS -o /dev/null -X POST "$url/api/ops/run/PlanHandoffs" -H "x-functions-key: $admin_key" \
  && echo "Planned the handoffs of the last and next 24 hours (PlanHandoffs)." \
  || echo "PlanHandoffs did not run now (see the app's output); its timer plans handoffs within five minutes."

# The stored feed link, if it still works: a POST .../feed-token since then (from the page or the API) replaced its token.
feed_link() {
  local stored path
  stored=$(cat ".azurite/feeds/$1.url" 2>/dev/null) || stored=""
  [ -n "$stored" ] || return 1
  path=$(node -e "const u = new URL(process.argv[1]); console.log(u.pathname + u.search)" "$stored")
  curl -fsS -o /dev/null "$url$path" 2>/dev/null || return 1
  echo "${public_base:-$url}$path"
}
public_base=$(setting OnCall__PublicBaseUrl); public_base=${public_base%/}

echo
echo "OnCallFunctions is running on $url."
echo "Every route but health and the ICS feed needs a key in the x-functions-key header or ?code= (both in local.settings.json):"
echo "  The page:         $url/?key=$read_key   (the key moves into the tab's session and leaves the address)"
echo "  Health:           $url/api/health"
echo "  Rotations:        $url/api/rotations?code=$read_key"
echo "  Handoffs:         $url/api/handoffs?code=$read_key"
for id in "${ids[@]}"; do
  echo "  On call now:      $url/api/rotations/$id/oncall?code=$read_key"
  echo "  Shifts:           $url/api/rotations/$id/shifts?code=$read_key"
  if link=$(feed_link "$id"); then
    echo "  ICS feed:         $link"
  else
    echo "  ICS feed:         no working link known here (its token is shown only when issued, and a new one replaces"
    echo "                    the old); issue a new one (the old link stops working) with the page's button or"
    echo "                    curl -X POST $url/api/rotations/$id/feed-token -H \"x-functions-key: \$ADMIN_KEY\""
  fi
done
echo "Try it: README.md, section \"Try it\" (its commands read the keys and secrets from local.settings.json)."
echo "Press Ctrl+C to stop."
wait "$app"
