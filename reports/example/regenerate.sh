#!/usr/bin/env bash
# Regenerates the example report from a capture shipped in captures/ (npm run report:example).
# The files are checked in so that a newcomer can open them without building anything.
set -euo pipefail
cd "$(dirname "$0")/../.."
capture=captures/lo-teardown-mix.pcap
name=$(basename "$capture" .pcap)
npm run --silent build
node dist/cli/main.js analyze "$capture" --quiet --no-progress \
  --html "reports/example/$name.html" --md "reports/example/$name.md"
