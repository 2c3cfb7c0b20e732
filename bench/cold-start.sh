#!/usr/bin/env bash
# Measures cold start (process start → the port open, and → the first 200 on a route that makes one storage call) of
# the app's executable, started standalone, against a bare minimal API, both published the same way: linux-x64,
# self-contained, ReadyToRun; against an Azurite this script starts on free ports.
# Usage: bench/cold-start.sh [runs] [other build]   (runs: default 15; other build: another build of the app's executable,
# e.g. one published from the code before a change, measured in the same alternation)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$(repo_root)"
npm_install
publish=(-c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true --nologo -v quiet -clp:NoSummary)
# As scripts/publish.sh does: the libraries are built RID-neutral, as for every other use; only the executable is
# published for linux-x64, so the solution's build output is left alone.
dotnet build src/OnCall.Functions/OnCall.Functions.csproj -c Release --nologo -v quiet -clp:NoSummary
rm -rf artifacts/bench/app artifacts/bench/bare
dotnet publish src/OnCall.Functions/OnCall.Functions.csproj "${publish[@]}" -p:BuildProjectReferences=false \
  -p:PublishDocumentationFiles=false -o artifacts/bench/app
dotnet publish bench/BareMinimalApi "${publish[@]}" -o artifacts/bench/bare
dotnet build bench/ColdStart -c Release --nologo -v quiet -clp:NoSummary

read -r blob queue table <<<"$(free_ports 3 | xargs)"
workspace=$(mktemp -d)
node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$workspace/azurite.log" 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
wait_for_port "$table" 30
storage=$(azurite_connection_string "$blob" "$queue" "$table")

dotnet bench/ColdStart/bin/Release/net10.0/ColdStart.dll \
  artifacts/bench/app/OnCall.Functions \
  artifacts/bench/bare/BareMinimalApi \
  "$storage" "${1:-15}" ${2:+"$2"}
