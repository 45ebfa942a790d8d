#!/usr/bin/env bash
# What an operator sees of Graft in Karaf, start to end, through Karaf's ssh client: the samples
# installed, a dry run, an update, its status and history, the log lines it wrote, a rollback, an
# update refused and a request rejected as invalid. Prints the session as a console shows it and ends
# with a verdict line. About a minute. Run from anywhere: bash karaf-features/demo/operator-session.sh
set -euo pipefail

work="$(cd "$(dirname "$0")" && pwd)/target/operator-session"
modules=sample-bundles/counter-v2
. "$(dirname "$0")/karaf-instance.sh"

failures=0
say() { # a command as typed at the prompt, and what Karaf printed
  printf '\nkaraf@root()> %s\n' "$1"
  # a command that fails (as a refusal does) exits non-zero: its output is what the checks read
  client "$1" | sed 's/\x1b\[[0-9;]*m//g' || true
}
expect() { # what the session must have shown, for the verdict
  if grep -q -- "$2" <<<"$1"; then echo "ok    $3"; else echo "WRONG $3: no '$2'"; failures=$((failures + 1)); fi
}

build_and_unpack
start_karaf
v2="file:$root/sample-bundles/counter-v2/target/counter-v2-$version.jar"
step "The session"
say "feature:install dsu-samples"
say "dsu:list"
dry=$(say "dsu:update --dry-run org.graft.sample.counter $v2"); printf '%s\n' "$dry"
update=$(say "dsu:update org.graft.sample.counter $v2"); printf '%s\n' "$update"
say "dsu:status"
say "dsu:list"
history=$(say "dsu:history"); printf '%s\n' "$history"
rollback=$(say "dsu:rollback org.graft.sample.counter"); printf '%s\n' "$rollback"
invalid=$(say "dsu:update org.graft.sample.counter file:/no/such/counter.jar"); printf '%s\n' "$invalid"
step "Graft's lines in karaf.log"
log=$(grep -a "org.graft" "$karaf/data/log/karaf.log" | grep -v "DEBUG" | cut -d'|' -f1,2,5- | tail -8); printf '%s\n' "$log"

step "Checks"
expect "$dry" "Plan (drain), running -> new: org.graft.sample.counter 1.0.0 -> 2.0.0" "the dry run labels running and new"
expect "$dry" "seen by no other bundle" "the dry run says what it installed to read the new version"
expect "$update" "Update [0-9]* SUCCEEDED: updated org.graft.sample.counter 1.0.0 -> 2.0.0" "the update succeeded"
expect "$update" "^calls held .*, total " "one timings line with one total"
expect "$history" "Held" "the history lists the update"
expect "$rollback" "Rollback [0-9]* SUCCEEDED: rolled back org.graft.sample.counter 2.0.0 -> 1.0.0" "the rollback says Rollback"
expect "$invalid" "Update REFUSED: " "an invalid request is refused without an id"
expect "$log" "SUCCEEDED (shell, user demo)" "karaf.log names the channel and the user, under Graft's bundle"
stop_karaf
if [ "$failures" = 0 ]; then
  echo "VERDICT: PASS - an operator's session: dry run, update, status, history, rollback, a refusal, and the log"
else
  echo "VERDICT: FAIL - $failures check(s) above went wrong"
  exit 1
fi
