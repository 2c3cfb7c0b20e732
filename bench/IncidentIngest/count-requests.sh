#!/usr/bin/env bash
# Needs the built app (dotnet build -c Release). Counts the storage requests Azurite sees per webhook ingest: one warm-up ingest (caches), then N ingests of new keys
# and N repeats of one key, each window's requests counted from Azurite's debug log.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
N=${N:-20}
bp=$((20000 + RANDOM % 1000)); qp=$((bp+1)); tp=$((bp+2)); app=$((bp+3))
work="$(mktemp -d)"
node $root/node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry \
  --blobPort $bp --queuePort $qp --tablePort $tp --debug "$work/azurite.log" >/dev/null 2>&1 &
azpid=$!
conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$bp/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$qp/devstoreaccount1;TableEndpoint=http://127.0.0.1:$tp/devstoreaccount1;"
sleep 2
for f in PlanHandoffs FlagMissedHandoffs SyncCalendars PruneFeedLedger RemindStatuspageOpen CheckCoverage ProcessIncidentEvent CheckRotationCoverage; do export "AzureWebJobs__${f}__Disabled=true"; done
AzureWebJobsStorage="$conn" OnCall__AdminKey=bench-admin-key-0123456789 OnCall__WebhookSecrets__Generic=bench-webhook-secret-0123 \
  OnCall__Incidents__DefaultRotation=platform \
  $root/src/OnCall.Functions/bin/Release/net10.0/OnCall.Functions --urls http://127.0.0.1:$app >"$work/app.log" 2>&1 &
apppid=$!
trap 'kill $apppid $azpid 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 50); do curl -sf http://127.0.0.1:$app/api/health >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf -X PUT -H 'x-functions-key: bench-admin-key-0123456789' -H 'Content-Type: application/json' --data @$root/samples/rotations/platform.json http://127.0.0.1:$app/api/rotations/platform >/dev/null
post() { curl -sf -o /dev/null -X POST -H 'Authorization: Bearer bench-webhook-secret-0123' -H 'Content-Type: application/json' \
  --data "{\"title\":\"t\",\"severity\":\"major\",\"dedupKey\":\"$1\"}" http://127.0.0.1:$app/api/incidents; }
post warm-up; post warm-up
lines() { grep -c "ContextMiddleware: RequestMethod=" "$work/azurite.log" || true; }
sleep 0.5; a=$(lines)
for i in $(seq $N); do post "key-$i"; done
sleep 0.5; b=$(lines)
for i in $(seq $N); do post "key-1"; done
sleep 0.5; c=$(lines)
echo "new key (opens): $(( (b-a) )) requests for $N ingests = $(echo "scale=2; ($b-$a)/$N" | bc) per ingest"
echo "repeat of a key open: $(( (c-b) )) requests for $N ingests = $(echo "scale=2; ($c-$b)/$N" | bc) per ingest"
