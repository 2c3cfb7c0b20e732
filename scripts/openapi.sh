#!/usr/bin/env bash
# Regenerates docs/openapi.json: the OpenAPI document Microsoft.AspNetCore.OpenApi generates from the standalone app's
# endpoints (the staleness test, OpenApiDocumentTests, writes it when ONCALL_WRITE_OPENAPI=1), rebuilds the app so
# it embeds and serves the new document, and lints it as scripts/test.sh does. Commit docs/openapi.json afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

npm_install
dotnet build tests/OnCall.Functions.Tests -c Release --nologo -v quiet
ONCALL_WRITE_OPENAPI=1 dotnet test tests/OnCall.Functions.Tests -c Release --no-build --nologo \
  --filter "FullyQualifiedName~OpenApiDocumentTests.CommittedDocument_Generated_IsTheSame"
dotnet build tests/OnCall.Functions.Tests -c Release --nologo -v quiet
npx --no-install redocly lint docs/openapi.json
