#!/usr/bin/env bash
# Builds and runs every test. Installs what is missing first: Azurite (npm ci), python3-icalendar, chromium and
# prometheus-alertmanager (apt): the tests use them as real storage, as an independent ICS parser, as the browser the
# page's tests drive and as a real Alertmanager sending the incident webhook. Also checks that the Bicep templates
# build and lint without a warning, lints docs/openapi.json with Redocly (redocly.yaml; any error fails), and
# publishes the deployable package once for the tests that unpack and start it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

apt_install python3-icalendar chromium prometheus-alertmanager
npm_install

bash scripts/bicep.sh
npx --no-install redocly lint docs/openapi.json
dotnet build OnCallFunctions.sln -c Release --nologo -v quiet
bash scripts/publish.sh artifacts/functionapp.zip
export ONCALL_PACKAGE=artifacts/functionapp.zip
log=$(mktemp)
status=0
dotnet test OnCallFunctions.sln -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?

# One closing line for every test assembly together.
awk '/Failed:[ ]+[0-9]+, Passed:[ ]+[0-9]+/ {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
