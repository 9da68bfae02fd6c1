#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Starts a local three-master Redis Cluster for trying `redis.clusterNodes` by hand:
#   scripts/cluster.sh start [BASE_PORT]   # masters on BASE, BASE+1, BASE+2 (default 7100), data in /tmp
#   scripts/cluster.sh stop  [BASE_PORT]   # shuts the three down and removes their data
# Then set in the config:  redis: { clusterNodes: ["127.0.0.1:7100", "127.0.0.1:7101", "127.0.0.1:7102"] }
set -euo pipefail
cmd=${1:-start}
base=${2:-7100}
dir=/tmp/banditore-cluster-$base
ports=("$base" "$((base + 1))" "$((base + 2))")
case "$cmd" in
  start)
    mkdir -p "$dir"
    for p in "${ports[@]}"; do
      redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "nodes-$p.conf" \
        --dir "$dir" --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
        --daemonize yes --pidfile "$dir/redis-$p.pid" --logfile "$dir/redis-$p.log"
    done
    for p in "${ports[@]}"; do
      for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    if ! redis-cli -p "$base" cluster info | grep -q cluster_state:ok; then
      redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes
    fi
    for _ in $(seq 100); do redis-cli -p "$base" cluster info | grep -q cluster_state:ok && break; sleep 0.2; done
    echo "cluster up: ${ports[*]/#/127.0.0.1:}"
    ;;
  stop)
    for p in "${ports[@]}"; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
    rm -rf "$dir"
    echo "cluster stopped"
    ;;
  *) echo "usage: $0 start|stop [BASE_PORT]" >&2; exit 2 ;;
esac
