#!/usr/bin/env bash
# Karaf's features service after Graft updates, across restarts of Karaf: a feature installs the sample
# counter 1.0.0; dsu:update makes 2.0.0 serve; a feature:install of a feature already there, a
# restart, dsu:rollback, another feature:install and another restart each leave exactly one counter
# bundle, of the version Graft made serve. Prints what it checked and ends with a verdict line.
# Run from anywhere: bash karaf-features/demo/features-restart.sh
set -euo pipefail

work="$(cd "$(dirname "$0")" && pwd)/target"
modules=sample-bundles/counter-v2
. "$(dirname "$0")/karaf-instance.sh"

failures=0
# The counter bundles bundle:list shows (id, state, version), one per line.
counters() {
  client "bundle:list -s -t 0 --no-format" | awk -F'[|\t]' '{for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i)}
    $5 == "org.graft.sample.counter" {print $1" "$2" "$4}'
}
expect_only() { # version, what was just done
  local found; found=$(counters)
  if [ "$(printf '%s\n' "$found" | grep -c .)" = 1 ] && printf '%s\n' "$found" | grep -q " Active $1$"; then
    echo "ok    after $2: one counter bundle, $1, Active ($found)"
  else
    echo "WRONG after $2: expected one Active counter bundle $1, found: ${found:-none}"
    failures=$((failures + 1))
  fi
}

build_and_unpack
start_karaf
client "feature:install dsu-samples" >/dev/null
expect_only 1.0.0 "feature:install dsu-samples"

step "dsu:update to 2.0.0"
client "dsu:update org.graft.sample.counter file:$root/sample-bundles/counter-v2/target/counter-v2-$version.jar" | tail -3
expect_only 2.0.0 "dsu:update"
client "feature:install scr" >/dev/null
expect_only 2.0.0 "feature:install scr"

step "Restart"
stop_karaf
start_karaf
expect_only 2.0.0 "a restart"
client "feature:install scr" >/dev/null
expect_only 2.0.0 "feature:install scr after the restart"

step "dsu:rollback to 1.0.0"
client "dsu:rollback org.graft.sample.counter" | tail -2
expect_only 1.0.0 "dsu:rollback"
client "feature:install scr" >/dev/null
expect_only 1.0.0 "feature:install scr"

step "Restart"
stop_karaf
start_karaf
expect_only 1.0.0 "a restart"

step "feature:uninstall dsu-samples"
client "feature:uninstall dsu-samples" >/dev/null
if [ -z "$(counters)" ]; then echo "ok    after feature:uninstall: no counter bundle"; else
  echo "WRONG after feature:uninstall: $(counters)"; failures=$((failures + 1)); fi

if [ "$failures" = 0 ]; then
  echo "VERDICT: PASS - the features service kept exactly the version Graft made serve, across feature:install, restarts, a rollback and feature:uninstall"
else
  echo "VERDICT: FAIL - $failures check(s) wrong (karaf.log: $karaf/data/log/karaf.log)"
  exit 1
fi
