#!/usr/bin/env bash
# Runs OnCall.Core's unit tests with coverlet (coverlet.collector) and prints the line coverage of the OnCall.Core
# assembly from the report that run wrote under tests/OnCall.Core.Tests/TestResults/ (git-ignored). Only measures: it
# fails when a test fails or no report is written, never because of the figure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
dotnet test tests/OnCall.Core.Tests -c Release --collect:"XPlat Code Coverage"
report=$(find tests/OnCall.Core.Tests/TestResults -name coverage.cobertura.xml -newer "$marker" -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
[ -n "$report" ] || { echo "the run wrote no coverage.cobertura.xml under tests/OnCall.Core.Tests/TestResults" >&2; exit 1; }
/usr/bin/python3 - "$report" <<'PY'
import sys
import xml.etree.ElementTree as ET

packages = [p for p in ET.parse(sys.argv[1]).getroot().iter("package") if p.get("name") == "OnCall.Core"]
if not packages:
    sys.exit(f"no package OnCall.Core in {sys.argv[1]}")
print(f"OnCall.Core line coverage: {float(packages[0].get('line-rate')) * 100:.2f}% ({sys.argv[1]})")
PY
