#!/usr/bin/env bash
# Measures cold start (process start → first 200 on /api/health) of the deployable package's executable
# (scripts/publish.sh: linux-x64, framework-dependent, ReadyToRun), started standalone, against a bare minimal API
# published the same way, against an Azurite this script starts on free ports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$(repo_root)"
npm_install
bash scripts/publish.sh artifacts/functionapp.zip
dotnet publish bench/BareMinimalApi -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o artifacts/bench/bare --nologo -v quiet
dotnet build bench/ColdStart -c Release --nologo -v quiet

ports=$(node -e "const n=require('net');const p=[];let k=3;for(let i=0;i<3;i++){const s=n.createServer();s.listen(0,'127.0.0.1',()=>{p.push(s.address().port);s.close();if(--k===0)console.log(p.join(' '))})}")
read -r blob queue table <<<"$ports"
workspace=$(mktemp -d)
node node_modules/azurite/dist/src/azurite.js --silent --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$workspace/azurite.log" 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
wait_for_port "$table" 30
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

dotnet bench/ColdStart/bin/Release/net10.0/ColdStart.dll \
  artifacts/functionapp/OnCall.Functions \
  artifacts/bench/bare/BareMinimalApi \
  "$storage" "${1:-15}"
