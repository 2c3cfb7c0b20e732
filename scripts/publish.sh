#!/usr/bin/env bash
# Publishes the function app as the package Azure deploys: artifacts/functionapp.zip, the isolated worker's publish
# output for linux-x64 (framework-dependent: Flex Consumption's dotnet-isolated 10.0 image brings the runtime), with
# host.json, the SDK-generated functions.metadata and worker.config.json, the host-side extensions in .azurefunctions/,
# OnCall.Functions.dll and its executable (the same app runs standalone), compiled ReadyToRun so it starts fast.
# Usage: scripts/publish.sh [output.zip]   (default artifacts/functionapp.zip)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

zip_path=$(realpath -m "${1:-artifacts/functionapp.zip}")
staging="${zip_path%.zip}"
apt_install zip

# The libraries are built as for every other use (RID-neutral); only the executable is built for linux-x64, so
# publishing leaves the solution's build output alone.
dotnet build src/OnCall.Functions/OnCall.Functions.csproj -c Release --nologo -v quiet -clp:NoSummary
rm -rf "$staging" "$zip_path"
dotnet publish src/OnCall.Functions/OnCall.Functions.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:BuildProjectReferences=false -p:PublishDocumentationFiles=false \
  -o "$staging" --nologo -v quiet

for required in host.json functions.metadata worker.config.json extensions.json OnCall.Functions.dll OnCall.Functions; do
  [ -f "$staging/$required" ] || { echo "publish.sh: $required is missing from $staging" >&2; exit 1; }
done
[ -x "$staging/OnCall.Functions" ] || { echo "publish.sh: OnCall.Functions is not executable" >&2; exit 1; }
[ ! -e "$staging/local.settings.json" ] || { echo "publish.sh: local.settings.json holds secrets and must not ship" >&2; exit 1; }

# zip keeps Unix permissions, so the executable bit survives; -X leaves out other extra fields.
(cd "$staging" && zip -qrX "$zip_path" .)
echo "Published $(realpath --relative-to=. "$zip_path") ($(du -h "$zip_path" | cut -f1)) from $(realpath --relative-to=. "$staging")/."
