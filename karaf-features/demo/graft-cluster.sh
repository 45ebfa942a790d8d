#!/usr/bin/env bash
# A rolling update across a group of three Karafs (Cellar, Hazelcast on 127.0.0.1), each node under
# nonstop load on its own counter, with a report that ends in a verdict:
#   1. a rollout that a node refuses halfway (the second node in the order accepts no file: jars):
#      the rollout halts, the first node rolls back, the third is never asked; the group stays on 1.0.0;
#   2. the same rollout once that node accepts it again: every node runs 2.0.0;
#   3. 2.0.0 -> 3.0.0 with a probe, in the order node A, node B, the coordinator, and node B killed
#      (SIGKILL) during its probe: the rollout halts, node A rolls back, the coordinator is never
#      asked; node B, started again, comes back on the group's version through Graft's rollback;
#   then, on every node that ran throughout: 0 failed calls, every key gained exactly its calls, the
#   proxy stayed registered; and the status as any node shows it.
# Builds what it needs on first use; about 5 minutes on a 2-core machine. GRAFT_PREBUILT=1 uses the
# distribution and jars already built (the build's KarafClusterIT does), CLUSTER_WORK another folder.
#   bash karaf-features/demo/graft-cluster.sh
set -euo pipefail

work="${CLUSTER_WORK:-$(cd "$(dirname "$0")" && pwd)/target/cluster}"
modules=karaf-features/demo-load,karaf-features/cluster,sample-bundles/counter-v2,sample-bundles/counter-v3
. "$(dirname "$0")/karaf-instance.sh"
. "$(dirname "$0")/cluster-nodes.sh"

if [ -n "${GRAFT_PREBUILT:-}" ]; then
  for built in "karaf-features/distribution/target/graft-karaf-$version.tar.gz" \
      "karaf-features/demo-load/target/demo-load-$version.jar" \
      "sample-bundles/counter-v2/target/counter-v2-$version.jar" "sample-bundles/counter-v3/target/counter-v3-$version.jar"; do
    [ -f "$built" ] || { echo "GRAFT_PREBUILT is set, but $built is not built"; exit 1; }
  done
else
  build_and_unpack
  stop_karaf
fi
unpack_nodes
start_nodes

step "Installing dsu-cluster, the samples and the load driver on every node"
for n in "${nodes[@]}"; do
  on "$n" "feature:install dsu-cluster dsu-samples"
  on "$n" "bundle:install -s file:$root/karaf-features/demo-load/target/demo-load-$version.jar" >/dev/null
done

await_group

step "Load: 2 threads calling the counter nonstop on every node"
for n in "${nodes[@]}"; do on "$n" "graft-demo:load-start --threads 2"; done

v2="file:$root/sample-bundles/counter-v2/target/counter-v2-$version.jar"
ids=$(on 1 "cluster:node-list" | grep -o '127\.0\.0\.1:[0-9]*' | sort -u)
second=$(sed -n 2p <<<"$ids")
second_node=""
for n in "${nodes[@]}"; do
  [ "${node_hz[$n]}" = "${second#127.0.0.1:}" ] && second_node=$n
done

step "Rollout 1: the second node ($second, node $second_node) accepts no file: jars, so it refuses"
on "$second_node" "config:property-set -p org.graft.update update.location.schemes mvn"
first=$(on 1 "dsu:cluster-update --claim-timeout 20000 default org.graft.sample.counter $v2" || true)
printf '%s\n' "$first"
on "$second_node" "config:property-set -p org.graft.update update.location.schemes file,mvn"

step "Rollout 2: the same, with every node accepting it"
second_rollout=$(on 1 "dsu:cluster-update --claim-timeout 20000 default org.graft.sample.counter $v2" || true)
printf '%s\n' "$second_rollout"
step "The group's last rollout, as node 3 sees it"
status=$(on 3 "dsu:cluster-status default")
printf '%s\n' "$status"

problems=()
grep -q "ROLLED_BACK" <<<"$first" || problems+=("rollout 1 did not end ROLLED_BACK")
grep -q "SKIPPED" <<<"$first" || problems+=("rollout 1 asked the third node")
grep -q ": SUCCEEDED" <<<"$second_rollout" || problems+=("rollout 2 did not succeed")

# Rollout 3: node 2 first, node 3 second (killed during its probe), the coordinator (node 1) last.
id_of() { echo "127.0.0.1:${node_hz[$1]}"; }
v3="file:$root/sample-bundles/counter-v3/target/counter-v3-$version.jar"
step "Rollout 3: 2.0.0 -> 3.0.0 in the order node 2, node 3, node 1 with a 10 s probe; node 3 killed during its probe"
on 1 "dsu:cluster-update --claim-timeout 20000 --probe 10000 --order $(id_of 2),$(id_of 3),$(id_of 1) default org.graft.sample.counter $v3" \
  >"$work/rollout3.txt" 2>&1 &
rollout3=$!
killed=""
for _ in $(seq 1 120); do
  if on 1 "dsu:cluster-status default" | grep -E "^ +$(id_of 3) +UPDATED " >/dev/null; then
    use_node 3
    kill -KILL "$(karaf_pid)"
    killed=yes
    echo "node 3 ($(id_of 3)) updated and in its probe: killed with SIGKILL"
    break
  fi
  sleep 1
done
wait "$rollout3" || true
third=$(cat "$work/rollout3.txt")
printf '%s\n' "$third"
[ -n "$killed" ] || problems+=("node 3 never reached its probe in rollout 3")
grep -q "ROLLED_BACK" <<<"$third" || problems+=("rollout 3 did not end ROLLED_BACK")
grep -E "^ +$(id_of 3) +LOST " <<<"$third" >/dev/null || problems+=("rollout 3 did not record node 3 LOST")
grep -E "^ +$(id_of 2) +ROLLED_BACK " <<<"$third" >/dev/null || problems+=("rollout 3 did not roll node 2 back")
grep -E "^ +$(id_of 1) +SKIPPED " <<<"$third" >/dev/null || problems+=("rollout 3 asked the coordinator after the halt")

step "Node 3 started again: it must come back on the group's 2.0.0 through Graft's rollback"
use_node 3
start_karaf
converged=""
for _ in $(seq 1 90); do
  if on 3 "dsu:list --no-format" | grep -E "org\.graft\.sample\.counter.*[[:space:]]2\.0\.0([[:space:]]|$)" >/dev/null; then converged=yes; break; fi
  sleep 2
done
on 3 "dsu:history --no-format" | tail -4
[ -n "$converged" ] || problems+=("node 3 did not come back on 2.0.0 within 3 minutes of its restart")

step "Report"
for n in 1 2; do
  load=$(on "$n" "graft-demo:load-stop")
  summary=$(grep '^Load stopped after' <<<"$load" || true)
  echo "node $n: ${summary:-no load report}"
  grep -q ' 0 failed' <<<"$summary" || problems+=("calls failed on node $n")
  grep -q 'every key gained exactly its calls' <<<"$summary" || problems+=("increments were lost or doubled on node $n")
  grep -q 'stayed registered' <<<"$summary" || problems+=("the proxy was unregistered on node $n")
  on "$n" "dsu:list --no-format" | grep -E "org\.graft\.sample\.counter.*[[:space:]]2\.0\.0([[:space:]]|$)" >/dev/null \
    || problems+=("node $n does not run the counter 2.0.0")
done
echo
if [ ${#problems[@]} = 0 ]; then
  echo "VERDICT: PASS - a rollout refused by its second node halted and rolled back; the next updated every node one at a time; a node killed during its probe halted the third, which rolled back, and came back on the group's version; 0 failed calls and every count exact on the nodes that ran throughout"
else
  echo "VERDICT: FAIL - $(IFS=';'; echo "${problems[*]}")"
  exit 1
fi
