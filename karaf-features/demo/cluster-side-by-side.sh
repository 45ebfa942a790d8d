#!/usr/bin/env bash
# A Cellar group of three Graft Karafs on 127.0.0.1, the same load on every node, two ways of
# updating a counter on the whole group, side by side, with a table of each node's figures:
#   graft:  dsu:cluster-update of Graft's managed counter (1.0.0 -> 2.0.0), one node at a time;
#   cellar: cluster:bundle-update of an unmanaged counter with the same classes (Cellar's own update:
#           a ClusterBundleEvent to every node at once, each node's Bundle.update() from the bundle's
#           location). Its "location" argument cannot be given: the bundle argument before it takes
#           every word that follows. So, as Cellar's users do, the counter is installed from a file
#           every node reads, and the new version is copied over that file before the update.
# The load: 2 threads per node calling increment through a DS consumer that they take from the
# registry at each call (a call that finds none fails), 4 s before the update and 4 s after it ended.
# Builds what it needs on first use (GRAFT_PREBUILT=1: uses what is built); about 5 minutes.
#   bash karaf-features/demo/cluster-side-by-side.sh
set -euo pipefail

work="${CLUSTER_WORK:-$(cd "$(dirname "$0")" && pwd)/target/cluster-side-by-side}"
modules=karaf-features/demo-load,karaf-features/cluster,sample-bundles/counter-v2,benchmarks/comparison/plain-counter-v1,benchmarks/comparison/plain-counter-v2,benchmarks/comparison/plain-consumer
. "$(dirname "$0")/karaf-instance.sh"
. "$(dirname "$0")/cluster-nodes.sh"

THREADS=${THREADS:-2}
LOAD_BEFORE=${LOAD_BEFORE:-4}
LOAD_AFTER=${LOAD_AFTER:-4}
jar() { echo "file:$root/benchmarks/comparison/$1/target/$1-$version.jar"; }
graft_v2="file:$root/sample-bundles/counter-v2/target/counter-v2-$version.jar"
plain_jar="$work/plain-counter.jar"

if [ -z "${GRAFT_PREBUILT:-}" ]; then
  build_and_unpack
  stop_karaf
fi
unpack_nodes
cp "benchmarks/comparison/plain-counter-v1/target/plain-counter-v1-$version.jar" "$plain_jar"
start_nodes

step "Installing dsu-cluster, the samples, the unmanaged counter and its consumer, and the load driver on every node"
for n in "${nodes[@]}"; do
  on "$n" "feature:install dsu-cluster dsu-samples"
  on "$n" "bundle:install -s file:$root/karaf-features/demo-load/target/demo-load-$version.jar" >/dev/null
  on "$n" "bundle:install -s file:$plain_jar" >/dev/null
  on "$n" "bundle:install -s $(jar plain-consumer)" >/dev/null
done
await_group

declare -A figures
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${figures[$1]}"; }
plain_version() { on "$1" "bundle:list -s --no-format" | grep "org.graft.sample.plaincounter" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1; }

run() { # $1 run name, $2 --via, $3 the command on node 1, $4 (optional) a function that waits for the update's end
  local name=$1 via=$2 command=$3 settle=${4:-}
  step "Run '$name': $THREADS threads on every node, --via $via --lookup-each-call; after ${LOAD_BEFORE} s, on node 1: $command"
  for n in "${nodes[@]}"; do on "$n" "graft-demo:load-start --threads $THREADS --via $via --lookup-each-call --key-prefix $name-"; done
  sleep "$LOAD_BEFORE"
  local t0; t0=$(date +%s%3N)
  if declare -F "$command" >/dev/null; then "$command" || true; else on 1 "$command" || true; fi
  [ -n "$settle" ] && "$settle"
  echo "the update took $(( $(date +%s%3N) - t0 )) ms as node 1 saw it"
  sleep "$LOAD_AFTER"
  for n in "${nodes[@]}"; do
    local out; out=$(on "$n" "graft-demo:load-stop --no-format")
    figures[$name.$n]=$(grep '^figures ' <<<"$out") || { printf '%s\n' "$out"; echo "No figures from node $n in the '$name' run"; exit 1; }
    echo "node $n: ${figures[$name.$n]}"
  done
}

# Cellar's update returns at once; its events reach the nodes after it.
await_plain_v2() {
  for _ in $(seq 1 60); do
    local all=yes
    for n in "${nodes[@]}"; do [ "$(plain_version "$n")" = "2.0.0" ] || all=""; done
    [ -n "$all" ] && return 0
    sleep 1
  done
  echo "Cellar's update did not reach every node within a minute"
}

run graft graft "dsu:cluster-update default org.graft.sample.counter $graft_v2"

step "Installing Cellar's bundle synchronisation (cellar-bundle) for its cluster:bundle-update"
# Its clean-up at a synchronisation would uninstall bundle versions the cluster map does not know
# (Graft's update made one): off, so that only the update itself is compared.
for n in "${nodes[@]}"; do
  on "$n" "config:property-set -p org.apache.karaf.cellar.node org.apache.karaf.cellar.cleanupResourcesNotPresentInCluster false"
  on "$n" "feature:install cellar-bundle"
done
# Cellar pushes each node's bundles into the group's map when it synchronises; ask for one and wait for it.
in_map=""
for _ in $(seq 1 30); do
  on 1 "cluster:sync" >/dev/null 2>&1 || true
  if on 1 "cluster:bundle-list default" | grep -qi "unmanaged copy of counter"; then in_map=yes; break; fi
  sleep 2
done
on 1 "cluster:bundle-list default" | grep -i "counter" || true  # the unmanaged one is "unmanaged copy of counter"
[ -n "$in_map" ] || { echo "The unmanaged counter did not reach the group's bundle map within a minute"; exit 1; }

cellar_update() { cp "benchmarks/comparison/plain-counter-v2/target/plain-counter-v2-$version.jar" "$plain_jar" && on 1 "cluster:bundle-update default org.graft.sample.plaincounter"; }
run cellar plain cellar_update await_plain_v2

step "Comparison: one group of 3 nodes, $THREADS threads per node, each call through the consumer registered at that moment"
printf '\n| | %s |\n|---|' "$(for r in graft cellar; do for n in "${nodes[@]}"; do printf '%s node %s | ' "$r" "$n"; done; done | sed 's/ | $//')"
for _ in 1 2 3 4 5 6; do printf -- '---|'; done; printf '\n'
for f in calls failed kept consumer_restarts unregistered reached_version; do
  printf '| %s |' "$f"
  for r in graft cellar; do for n in "${nodes[@]}"; do printf ' %s |' "$(field "$r.$n" "$f")"; done; done
  printf '\n'
done
printf '| failing, ms |'
for r in graft cellar; do for n in "${nodes[@]}"; do
  from=$(field "$r.$n" failing_from_ms); to=$(field "$r.$n" failing_to_ms)
  if [ "${from:-0}" = 0 ]; then printf ' - |'; else printf ' %s |' "$(( to - from ))"; fi
done; done
printf '\n\n'
for r in graft cellar; do
  failing=0 latest_from=0 earliest_to=0
  for n in "${nodes[@]}"; do
    from=$(field "$r.$n" failing_from_ms); to=$(field "$r.$n" failing_to_ms)
    [ "${from:-0}" = 0 ] && continue
    failing=$((failing + 1))
    [ "$from" -gt "$latest_from" ] && latest_from=$from
    { [ "$earliest_to" = 0 ] || [ "$to" -lt "$earliest_to" ]; } && earliest_to=$to
  done
  if [ "$failing" = 3 ] && [ "$earliest_to" -ge "$latest_from" ]; then
    echo "$r: calls failed on 3 of 3 nodes, on all three at once for $(( earliest_to - latest_from )) ms"
  else
    echo "$r: calls failed on $failing of 3 nodes$( [ "$failing" = 3 ] && echo ', never on all three at once')"
  fi
done
