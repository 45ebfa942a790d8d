#!/usr/bin/env bash
# Side by side in one Karaf run: the same load on the same counter, updated three ways:
#   graft:     load through org.graft.sample.consumer (static DS reference) on Graft's counter; dsu:update to counter-v2
#   plain:     load through org.graft.sample.plainconsumer (static DS reference) on an unmanaged copy of
#              the counter; bundle:update to plain-counter-v2
#   blueprint: load through org.graft.sample.blueprintconsumer (Aries Blueprint, damped mandatory
#              reference, timeout 30 s) on the same unmanaged counter; bundle:update to plain-counter-v2
# Each twice: A, the load threads take the consumer's service once and call that object nonstop; B, they
# take the consumer registered at each call (a call finding none fails). Plus a baseline (A, through
# Graft's consumer, no update). Before each run both counters are back at v1 (dsu:rollback,
# bundle:update to plain-counter-v1, without load). The update is applied after LOAD_BEFORE seconds
# of load; the load stops LOAD_TOTAL seconds after it started. Prints comparison tables (markdown),
# ends by itself and stops Karaf. Run from anywhere: bash karaf-features/demo/side-by-side.sh
# Needs the network once, for Karaf's aries-blueprint feature (not in the distribution's system/).
set -euo pipefail

THREADS=${THREADS:-8}
LOAD_BEFORE=${LOAD_BEFORE:-4}   # seconds of load before the update
LOAD_TOTAL=${LOAD_TOTAL:-12}    # seconds from the load's start to its stop

work="$(cd "$(dirname "$0")" && pwd)/target/side-by-side"
modules=karaf-features/demo-load,sample-bundles/counter-v2,benchmarks/comparison/plain-counter-v1,benchmarks/comparison/plain-counter-v2,benchmarks/comparison/plain-consumer,benchmarks/comparison/blueprint-consumer
. "$(dirname "$0")/karaf-instance.sh"

build_and_unpack

# A command whose output must not show an error (the client's exit code does not tell).
must() {
  local out; out=$(client "$1")
  printf '%s\n' "$out"
  if grep -qiE 'error|exception|not found|failed' <<<"$out"; then echo "The command failed: $1"; exit 1; fi
}
wait_for() { # $1 command, $2 regexp its output must match, $3 what is awaited
  for _ in $(seq 1 60); do client "$1" | grep -qE "$2" && return 0; sleep 1; done
  echo "Gave up after 60 s waiting for $3"; exit 1
}
now_ms() { date +%s%3N; }

start_karaf

step "Installing the samples, Aries Blueprint, the unmanaged counter, its two consumers and the load driver"
must "feature:install dsu-samples"
must "feature:install aries-blueprint"
jar() { echo "file:$root/benchmarks/comparison/$1/target/$1-$version.jar"; }
plain_id=$(client "bundle:install -s $(jar plain-counter-v1)" | sed -n 's/^Bundle ID: *\([0-9]*\).*/\1/p')
[ -n "$plain_id" ] || { echo "Installing plain-counter-v1 failed"; exit 1; }
must "bundle:install -s $(jar plain-consumer)"
must "bundle:install -s $(jar blueprint-consumer)"
must "bundle:install -s file:$root/karaf-features/demo-load/target/demo-load-$version.jar"
wait_for "service:list org.graft.sample.api.CounterConsumer" "graft.sample.via = blueprint" "the Blueprint consumer's service"
wait_for "service:list org.graft.sample.api.CounterConsumer" "org.graft.sample.plainconsumer" "the plain DS consumer's service"
client "bundle:list -s | grep -i graft"
client "dsu:list"

declare -A figures update_ms update_out
run() { # $1 run name and key prefix, $2 graft-demo:load-start's --via [--lookup-each-call], $3 the update command
  local via=$2; set -- "$1" "$3"
  step "Run '$1': $THREADS threads, --via $via; after ${LOAD_BEFORE} s: $2"
  local start; start=$(now_ms)
  must "graft-demo:load-start --threads $THREADS --via $via --key-prefix $1-"
  sleep "$LOAD_BEFORE"
  local before; before=$(now_ms)
  update_out[$1]=$(must "$2")
  printf '%s\n' "${update_out[$1]}"
  update_ms[$1]=$(( $(now_ms) - before ))
  local left=$(( (start + LOAD_TOTAL * 1000 - $(now_ms)) / 1000 ))
  [ "$left" -gt 0 ] && sleep "$left"
  local out; out=$(client "graft-demo:load-stop --no-format")
  printf '%s\n' "$out"
  figures[$1]=$(grep '^figures ' <<<"$out") || { echo "No figures from the '$1' run"; exit 1; }
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${figures[$1]}"; }

# Baseline: the same load through Graft's consumer with no update, for what "longest call" is on
# this machine anyway (8 busy threads on the cores there are, GC, the ssh client starting).
graft_v2="dsu:update org.graft.sample.counter file:$root/sample-bundles/counter-v2/target/counter-v2-$version.jar"
plain_v2="bundle:update $plain_id $(jar plain-counter-v2)"
# A: the load threads take the consumer's service once and keep calling that object.
run baseline "graft" "dsu:list"
run graft "graft" "$graft_v2"
run plain "plain" "$plain_v2"
must "bundle:update $plain_id $(jar plain-counter-v1)"
wait_for "service:list org.graft.sample.api.CounterConsumer" "graft.sample.via = blueprint" "the Blueprint consumer's service"
run blueprint "blueprint" "$plain_v2"
# B: at each call, the load takes the consumer registered at that moment (a call finding none fails).
must "dsu:rollback org.graft.sample.counter"
must "bundle:update $plain_id $(jar plain-counter-v1)"
wait_for "service:list org.graft.sample.api.CounterConsumer" "graft.sample.via = blueprint" "the Blueprint consumer's service"
wait_for "service:list org.graft.sample.api.CounterConsumer" "org.graft.sample.plainconsumer" "the plain DS consumer's service"
run graft-each "graft --lookup-each-call" "$graft_v2"
run plain-each "plain --lookup-each-call" "$plain_v2"
must "bundle:update $plain_id $(jar plain-counter-v1)"
wait_for "service:list org.graft.sample.api.CounterConsumer" "graft.sample.via = blueprint" "the Blueprint consumer's service"
run blueprint-each "blueprint --lookup-each-call" "$plain_v2"

step "Comparison (one Karaf run, $THREADS threads, update after ${LOAD_BEFORE} s, load stopped after ${LOAD_TOTAL} s)"
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1fx' % (b/a) if a else '-')" "$1" "$2"; }
table() { # $1 heading, then the runs, the first being the one the ratios divide by
  local title=$1 ref=$2; shift 2
  printf '\n%s\n\n| |' "$title"; for r in "$@"; do printf ' %s |' "$r"; done; printf '\n|---|'; for _ in "$@"; do printf -- '---|'; done; printf '\n'
  for f in calls failed longest_ms kept consumer_restarts unregistered reached_version registered_version; do
    printf '| %s |' "$f"; for r in "$@"; do printf ' %s |' "$(field "$r" $f)"; done; printf '\n'
  done
  printf '| command ms (incl. ssh client start) |'; for r in "$@"; do printf ' %s |' "${update_ms[$r]}"; done; printf '\n'
  printf "| longest call / %s's |" "$ref"; for r in "$@"; do printf ' %s |' "$(ratio "$(field "$ref" longest_ms)" "$(field "$r" longest_ms)")"; done; printf '\n'
  printf "| failed calls / all calls |"; for r in "$@"; do printf ' %s |' "$(python3 -c "import sys; f,c=int(sys.argv[1]),int(sys.argv[2]); print('%.2g%%' % (100.0*f/(f+c)) if f+c else '-')" "$(field "$r" failed)" "$(field "$r" calls)")"; done; printf '\n'
}
table "A. Load on the consumer object taken at the start (| run | = baseline: no update; graft: dsu:update; plain: bundle:update, DS consumer; blueprint: bundle:update, Blueprint damped consumer)" graft baseline graft plain blueprint
table "B. Load on the consumer registered at each call" graft-each graft-each plain-each blueprint-each
echo
for r in graft graft-each; do
  echo "Graft's own report ($r): $(grep -oE 'calls held .*, total [0-9.]+ (µs|ms|s)' <<<"${update_out[$r]}" || echo '(not found)')"
done
echo
echo "Raw figures:"; for v in baseline graft plain blueprint graft-each plain-each blueprint-each; do echo "  ${figures[$v]}"; done
