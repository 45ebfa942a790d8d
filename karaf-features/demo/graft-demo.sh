#!/usr/bin/env bash
# Graft's main job: a Karaf with the dsu feature and the sample counter, updated live under load
# (v2 through the watch folder, v3 through dsu:update), with a report. Builds what it needs, ends by
# itself, and stops Karaf whatever happens. Run from anywhere: bash karaf-features/demo/graft-demo.sh
set -euo pipefail

work="$(cd "$(dirname "$0")" && pwd)/target"
modules=karaf-features/demo-load,sample-bundles/counter-v2,sample-bundles/counter-v3
. "$(dirname "$0")/karaf-instance.sh"

build_and_unpack
start_karaf

step "Installing the samples and the load driver"
client "feature:install dsu-samples"
client "bundle:install -s file:$root/karaf-features/demo-load/target/demo-load-$version.jar" >/dev/null
client "dsu:list"

step "Load: 8 threads calling the counter nonstop"
client "graft-demo:load-start --threads 8"
client "graft-demo:state"

step "Version 2 through the watch folder ($karaf/dsu)"
cp "sample-bundles/counter-v2/target/counter-v2-$version.jar" "$karaf/dsu/counter-2.0.0.jar.part"
mv "$karaf/dsu/counter-2.0.0.jar.part" "$karaf/dsu/counter-2.0.0.jar"
for attempt in $(seq 1 60); do
  [ -f "$karaf/dsu/applied/counter-2.0.0.jar" ] && break
  if [ -f "$karaf/dsu/failed/counter-2.0.0.jar.error.txt" ]; then cat "$karaf/dsu/failed/counter-2.0.0.jar.error.txt"; exit 1; fi
  [ "$attempt" = 60 ] && { echo "The watch folder did not apply version 2 within a minute"; exit 1; }
  sleep 1
done
client "dsu:status"
client "graft-demo:state"

step "Version 3 through dsu:update"
client "dsu:update org.graft.sample.counter file:$root/sample-bundles/counter-v3/target/counter-v3-$version.jar"
client "graft-demo:state"

step "Report"
load=$(client "graft-demo:load-stop")
printf '%s\n' "$load"
history=$(client "dsu:history")
printf '%s\n' "$history"
client "dsu:list"

# The verdict, from what was printed above: both updates applied, no call failed, no increment lost,
# the proxy never unregistered.
summary=$(grep '^Load stopped after' <<<"$load" || true)
succeeded=$(grep -c ' update .* SUCCEEDED ' <<<"$history" || true)
problems=()
[ "$succeeded" = 2 ] || problems+=("$succeeded of 2 updates SUCCEEDED")
grep -q ' 0 failed' <<<"$summary" || problems+=("calls failed")
grep -q 'every key gained exactly its calls' <<<"$summary" || problems+=("increments were lost or doubled")
grep -q 'stayed registered' <<<"$summary" || problems+=("the proxy was unregistered")
echo
if [ ${#problems[@]} = 0 ]; then
  echo "VERDICT: PASS - 2 live updates (watch folder, dsu:update) under 8 nonstop callers: ${summary#Load stopped after }"
else
  echo "VERDICT: FAIL - $(IFS=';'; echo "${problems[*]}"). ${summary:-no load report}"
  exit 1
fi
