#!/usr/bin/env bash
# Debian packages the capture lab needs (run as root): tcpdump records, iproute2 gives ip/ss/nstat/tc,
# tshark brings dumpcap (pcapng), ethtool turns veth offloads off so frames look like a real wire's.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends tcpdump iproute2 tshark ethtool >/dev/null
