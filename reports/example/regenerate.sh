#!/usr/bin/env bash
# Regenerates the example report from a capture shipped in captures/ (npm run report:example).
# The files are checked in so that a newcomer can open them without building anything.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The incident, recorded time-scaled by the lab (npm run lab -- keepalive-starvation): about 1/15 of
# real time, so the thresholds are scaled down with it.
capture=captures/keepalive-starvation.pcap
name=$(basename "$capture" .pcap)
npm run --silent build
node dist/cli/main.js analyze "$capture" --quiet --no-progress --half-close 1s --late-fin 1s --accept-delay 1s \
  --html "reports/example/$name.html" --md "reports/example/$name.md"
