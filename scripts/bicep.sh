#!/usr/bin/env bash
# Builds and lints the Bicep templates with the Bicep CLI pinned in infra/tools.proj (restored from NuGet; it runs
# offline). Fails on any error or warning, so a broken template fails CI. The compiled ARM JSON goes to
# artifacts/infra/. Extra arguments are passed to the Bicep CLI instead, e.g. scripts/bicep.sh --version.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

dotnet restore infra/tools.proj --nologo -v quiet
version=$(dotnet msbuild infra/tools.proj -getProperty:BicepVersion)
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
[ -x "$bicep" ] || chmod +x "$bicep"

if [ $# -gt 0 ]; then
  exec "$bicep" "$@"
fi

mkdir -p artifacts/infra
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
{
  "$bicep" build infra/main.bicep --outdir artifacts/infra &&
    "$bicep" build-params infra/main.dev.bicepparam --outfile artifacts/infra/main.dev.parameters.json &&
    "$bicep" lint infra/main.bicep &&
    "$bicep" lint infra/main.dev.bicepparam
} >"$log" 2>&1 || status=$?
cat "$log"
if [ $status -ne 0 ] || grep -qE ': (Warning|Error) ' "$log"; then
  echo "Bicep: the templates have errors or warnings (above)." >&2
  exit 1
fi
echo "Bicep $version: infra/main.bicep and infra/main.dev.bicepparam build and lint clean."
