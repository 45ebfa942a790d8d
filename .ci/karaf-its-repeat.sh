#!/usr/bin/env bash
# Runs the Karaf integration tests (Karaf*IT: each class boots the distribution in Pax Exam's Karaf
# container) several times in a row, to show whether they pass every time rather than once.
#
#   bash .ci/karaf-its-repeat.sh [runs] [--load]
#
# runs     how many times (default 10)
# --load   two busy processes run beside the tests (the machine is 2-core: both cores taken), as on a
#          shared CI runner; they are stopped when the script ends, however it ends.
#
# It builds the reactor once (no tests), then runs the tests through the reactor each time: without
# `mvn install` only the reactor can hand the project's own artifacts (the distribution, the bundles)
# to the itest module, and `-pl itest` alone would take whatever stale copy ~/.m2 has. Each run
# therefore repeats Maven's up-to-date checks and repackaging (some seconds) before the tests; the
# Karaf ITs' own time is printed beside the run's. Per run, the Maven log and the failsafe reports are
# kept in target/karaf-its-repeat/run-<n>/. Prints one line per run and a final "N passed, M failed";
# exits non-zero if a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [runs] [--load]" >&2; exit 2; }
runs=10
load=
for arg in "$@"; do
  case $arg in
    --load) load=1 ;;
    '' | *[!0-9]*) usage ;;
    *) runs=$arg ;;
  esac
done
[ "$runs" -ge 1 ] || usage

out=target/karaf-its-repeat
rm -rf "$out"
mkdir -p "$out"

hogs=()
stop_hogs() {
  if [ ${#hogs[@]} -gt 0 ]; then
    kill "${hogs[@]}" 2>/dev/null || true
    wait "${hogs[@]}" 2>/dev/null || true
    hogs=()
  fi
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM

echo "Building the reactor once, without tests (log: $out/build.log)"
if ! mvn -B -ntp verify -pl itest -am -DskipTests -DskipITs >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log"
  echo "The build failed: see $out/build.log"
  exit 1
fi

if [ -n "$load" ]; then
  for _ in 1 2; do
    (while :; do :; done) &
    hogs+=($!)
  done
  echo "Load: two busy processes (pids ${hogs[*]})"
fi

# The sum of the Karaf test classes' times in the failsafe reports, in whole seconds.
it_seconds() {
  cat itest/target/failsafe-reports/TEST-org.graft.itest.Karaf*IT.xml 2>/dev/null \
    | sed -n 's/^<testsuite .* time="\([0-9.]*\)".*/\1/p' \
    | awk '{ s += $1 } END { printf "%d", s }'
}

passed=0
failed=0
for run in $(seq 1 "$runs"); do
  dir="$out/run-$run"
  mkdir -p "$dir"
  rm -rf itest/target/failsafe-reports
  start=$SECONDS
  if mvn -B -ntp -o verify -pl itest -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test='Karaf*IT' >"$dir/mvn.log" 2>&1; then
    result=PASS
    passed=$((passed + 1))
  else
    result=FAIL
    failed=$((failed + 1))
  fi
  seconds=$((SECONDS - start))
  cp -r itest/target/failsafe-reports "$dir/" 2>/dev/null || true
  printf 'run %d/%d: %s in %d s (Karaf ITs %s s)\n' "$run" "$runs" "$result" "$seconds" "$(it_seconds)"
  if [ "$result" = FAIL ]; then
    grep -E '^\[ERROR\] (Tests run|  |[A-Za-z]+IT\.)' "$dir/mvn.log" | head -10 | sed 's/^/    /' || true
    echo "    log: $dir/mvn.log"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
