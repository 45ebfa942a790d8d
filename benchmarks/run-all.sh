#!/usr/bin/env bash
# Every benchmark, one after the other, in about 45 minutes on a 2-core machine:
#   1. JMH call overhead (direct, Graft linked directly, Graft's counted gate, JDK proxy, Aries proxy;
#      trivial and map lookup; 1 and 2 threads) and the gate's cost floor, with Graft's ratios computed
#      from the same run; 1a. an update's cost to 4 callers, direct link vs counted gate (throughput
#      dip, 1000 updates each);
#   2. update pause in a real Felix framework under load, hand-over by reference and conversion,
#      the sample counter's small updates with and without the rehearsal before the hold,
#      1 KiB to 100 MiB, with 1 and 4 callers; the conversion paths side by side;
#   3. the Karaf side by side: Graft dsu:update vs bundle:update vs a Blueprint damped reference;
#   4. memory: the footprint of a proxy, and 1000 successive updates with retired loaders collected;
#   5. crash points: SIGKILL at each step boundary of an update (and a random time after it), 10
#      runs per boundary (the build runs 2), recovery checked and timed;
#   6. the soak in Karaf: 1000 live updates in cycles (1 -> 2 -> 3, rollback to 2, back to 1) under 4
#      nonstop callers, the JVM's figures after every 100, against a control of Karaf's own commands
#      (about 25 min; the build runs 40 updates, KarafSoakIT);
#   7. a Cellar group of three Karafs: Graft's rolling dsu:cluster-update against Cellar's own
#      cluster:bundle-update under the same load on every node (about 5 min; the build runs
#      graft-cluster.sh, KarafClusterIT).
# Builds what it needs. Every tool's full output goes to benchmarks/target/results/<date>/, and the
# tables to summary.md there (and to the terminal). Benchmarks are never part of `mvn verify`.
#   bash benchmarks/run-all.sh              # everything
#   SKIP_KARAF=1 bash benchmarks/run-all.sh # without the Karaf side by side (no network needed)
#   JMH_OPTS='-f 3 -wi 5 -i 10' bash benchmarks/run-all.sh   # steadier JMH figures, ~25 min more
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="benchmarks/target/results/$stamp"
mkdir -p "$out"
summary="$out/summary.md"
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -w 1 -i 4 -r 1}
cp="benchmarks/target/classes:benchmarks/target/harness-lib/*"
started=$(date +%s)

section() { printf '\n## %s\n\n' "$1" | tee -a "$summary"; }
machine() {
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- cpus: $(nproc), model: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "- memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}
step() { # $1 name, rest: command; output to $out/$1.txt, elapsed time noted
  local name=$1; shift
  local t0; t0=$(date +%s)
  echo ">>> $name: $*" >&2
  "$@" >"$out/$name.txt" 2>&1 || { echo "!!! $name failed; its output: $out/$name.txt" >&2; tail -20 "$out/$name.txt" >&2; exit 1; }
  echo "    ($name: $(( $(date +%s) - t0 )) s; load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
}
tables() { grep -E '^\|' "$1" | tee -a "$summary"; }

echo "# Graft benchmarks, $stamp" >"$summary"
machine | tee -a "$summary"

step build mvn -B -ntp -pl benchmarks -am package -DskipTests -DskipITs

section "1. Call overhead (JMH: $JMH_OPTS)"
# shellcheck disable=SC2086
step jmh java -jar benchmarks/target/benchmarks.jar 'CallOverhead|GateFloor' $JMH_OPTS -rf json -rff "$out/jmh.json"
java -cp "$cp" org.graft.benchmarks.harness.JmhRatioReport "$out/jmh.json" | tee "$out/jmh-ratios.md" >>"$summary"
cat "$out/jmh-ratios.md"

section "1a. What an update costs callers: direct link vs counted gate, interleaved update by update"
step direct-link-updates java -Xmx2g -Dgraft.callers=4 -Dgraft.dip.updates=40 -Dgraft.updates=1000 -cp "$cp" \
  org.graft.benchmarks.harness.DirectLinkUpdateHarness
tables "$out/direct-link-updates.txt"

section "2. Update pause in Felix under load (hand-over: 100 updates per size; conversion: 3 per direction)"
step update-pause java -Xmx8g -Dgraft.callers=1,4 -Dgraft.handover.reps=100 -Dgraft.convert.reps=6 -cp "$cp" \
  org.graft.benchmarks.harness.UpdatePauseHarness
tables "$out/update-pause.txt"
echo | tee -a "$summary"
step conversion-paths java -Xmx8g -cp "$cp" org.graft.benchmarks.harness.ConversionPathHarness
tables "$out/conversion-paths.txt"

section "2a. Small updates held: the sample counter, rehearsed vs cold, interleaved round by round"
step small-updates java -Xmx2g -Dgraft.rounds=40 -Dgraft.callers=1,2,4,8 -cp "$cp" org.graft.benchmarks.harness.SmallUpdateHoldHarness
tables "$out/small-updates.txt"

section "4. Memory: a proxy's footprint; 1000 successive updates"
step proxy-footprint java -Xmx2g -cp "$cp:benchmarks/target/benchmarks.jar" org.graft.benchmarks.harness.ProxyFootprintHarness
tables "$out/proxy-footprint.txt"
echo | tee -a "$summary"
step retirement-memory java -Xmx2g -cp "$cp" org.graft.benchmarks.harness.RetirementMemoryHarness
tables "$out/retirement-memory.txt"

section "5. Crash points (SIGKILL, then a restart on the same storage)"
step crash-points mvn -B -ntp verify -pl itest -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CrashPointIT -Dgraft.crash.runs=10
tables itest/target/crash-points.txt

if [ -z "${SKIP_KARAF:-}" ]; then
  section "3. Karaf side by side (graft dsu:update / bundle:update / Blueprint damped reference)"
  step side-by-side bash karaf-features/demo/side-by-side.sh
  tables "$out/side-by-side.txt"

  section "6. Soak in Karaf: 1000 live updates under 4 nonstop callers, against a control of Karaf's own commands"
  step soak bash karaf-features/demo/graft-soak.sh 1000
  sed -n '/^Soak of/,$p' "$out/soak.txt" | tee -a "$summary"

  section "7. A Cellar group of three Karafs: dsu:cluster-update vs cluster:bundle-update"
  step cluster-side-by-side bash karaf-features/demo/cluster-side-by-side.sh
  sed -n '/^=== Comparison/,$p' "$out/cluster-side-by-side.txt" | tee -a "$summary"
fi

echo | tee -a "$summary"
echo "Total: $(( $(date +%s) - started )) s. Full outputs: $out/" | tee -a "$summary"
