#!/usr/bin/env bash
# The evaluation: real, unmodified service bundles from Maven Central, updated live release after
# release in the Graft Karaf under nonstop callers, and the same steps with plain bundle:update beside
# it. Per step: outcome, calls and failed calls, withdrawals a consumer saw (a DS consumer with a
# static reference restarts at each), whether the service's state survived (judged through its own
# API), and the time calls were held. Builds what it needs, downloads the releases from Central once,
# prints a markdown table and writes it to benchmarks/evaluation/target/evaluation-<UTC time>.md.
# Run from anywhere: bash benchmarks/evaluation/run.sh [subject...]   (subjects: mime log list)
set -euo pipefail

THREADS=${THREADS:-3}
LOAD_BEFORE=${LOAD_BEFORE:-2}   # seconds of load before each update
LOAD_AFTER=${LOAD_AFTER:-2}     # seconds of load after it

here="$(cd "$(dirname "$0")" && pwd)"
work="$here/target"
modules=benchmarks/evaluation
. "$here/../../karaf-features/demo/karaf-instance.sh"

# subject -> "groupId:artifactId releases..." (the first is installed, each next one is a step)
declare -A RELEASES=(
  [mime]="org.apache.sling:org.apache.sling.commons.mime 2.2.0 2.2.2 2.2.4 2.3.0"
  [log]="org.apache.karaf.log:org.apache.karaf.log.core 4.4.6 4.4.7 4.4.8 4.4.9 4.4.10"
  [list]="org.apache.aries.blueprint:org.apache.aries.blueprint.sample 0.2-incubating 0.3 0.3.1 1.0.0"
)
# what the Graft run configures (configuration org.graft.container) and adds to dsu:update
declare -A STATE_FIELDS=(
  [mime]="org.apache.sling.commons.mime.internal.MimeTypeServiceImpl: mimeMap, extensionMap"
  [log]="org.apache.karaf.log.core/org.apache.karaf.log.core.LogService: buffer; org.apache.karaf.log.core/org.ops4j.pax.logging.spi.PaxAppender: buffer"
  [list]="org.apache.aries.blueprint.sample/java.util.List: elementData, size"
)
# The MIME bundle's web console plugin (a javax.servlet.Servlet service, with no servlet API in this
# Karaf) and the Blueprint sample's Foo (registered under its class) cannot be proxied: Graft leaves
# them unmanaged and, asked to, withdraws them across the update as bundle:update would.
declare -A UPDATE_OPTIONS=([mime]="--withdraw-unmanaged" [log]="" [list]="--withdraw-unmanaged")
declare -A HOW=(
  [mime]="DS; exports its own API (org.apache.sling.commons.mime); state: MIME types registered at run time"
  [log]="bundle activator; exports its own API (org.apache.karaf.log.core); state: the log:display history"
  [list]="Blueprint (Aries 1.10.3); state: what users added to the java.util.List it registers"
)

subjects=("$@")
[ ${#subjects[@]} -gt 0 ] || subjects=(mime log list)

releases_dir="$work/releases"
fetch() { # $1 G:A, $2 version: the jar's file URL, downloaded from Central once
  local ga=$1 v=$2 a=${1#*:}
  mkdir -p "$releases_dir"
  if [ ! -f "$releases_dir/$a-$v.jar" ]; then
    mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy -Dartifact="$ga:$v" \
      -DoutputDirectory="$releases_dir" >"$work/fetch.log" 2>&1 || { cat "$work/fetch.log"; exit 1; }
  fi
  echo "file:$releases_dir/$a-$v.jar"
}

value() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2" | head -1 || true; }
bundle_id() { client "bundle:list -t 0 -s --no-format" | awk -v s="$1" '$NF==s || $0 ~ " "s" *$" {print $1}' | tail -1; }

rows=()
run_subject() { # $1 subject, $2 channel: graft or bundle
  local subject=$1 channel=$2 ga first rest
  read -r ga first rest <<<"${RELEASES[$subject]}"
  local bsn=${ga#*:}
  step "$subject ($channel): ${HOW[$subject]}"
  fresh_karaf
  start_karaf
  if [ "$channel" = graft ]; then
    client "config:property-set -p org.graft.container managed.bundles $bsn" >/dev/null
    [ -z "${STATE_FIELDS[$subject]}" ] || client "config:property-set -p org.graft.container state.fields \"${STATE_FIELDS[$subject]}\"" >/dev/null
  fi
  case $subject in
    list) client "feature:install aries-blueprint" ;;
  esac
  if [ "$subject" = log ]; then
    # Karaf boots log.core 4.4.10 before Graft's container: replacing it plainly makes its services
    # register anew, after the container, so that Graft manages them from then on.
    client "bundle:update $(bundle_id "$bsn") $(fetch "$ga" "$first")"
  else
    client "bundle:install -s $(fetch "$ga" "$first")"
  fi
  client "bundle:install -s file:$root/benchmarks/evaluation/target/evaluation-driver-$version.jar"
  client "graft-eval:mark $subject"
  client "dsu:list"
  local from=$first
  for next in $rest; do
    local url; url=$(fetch "$ga" "$next")
    client "graft-eval:start --threads $THREADS $subject"
    sleep "$LOAD_BEFORE"
    local out
    if [ "$channel" = graft ]; then
      out=$(client "dsu:update ${UPDATE_OPTIONS[$subject]} $bsn $url" || true)
    else
      out=$(client "bundle:update $(bundle_id "$bsn") $url" || true)
    fi
    printf '%s\n' "$out"
    out=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out")   # the shell colours errors
    sleep "$LOAD_AFTER"
    local figures state
    figures=$(client "graft-eval:stop" | grep '^figures ' || echo "figures calls=? failed=? withdrawn=?")
    state=$(client "graft-eval:check $subject" | grep -o 'state=[a-z]*' || echo "state=gone")
    local outcome held
    if [ "$channel" = graft ]; then
      outcome=$(grep -oE 'Update [0-9]+ (SUCCEEDED|FAILED|REFUSED)' <<<"$out" | awk '{print $3}' | tail -1 || true)
      # the command's timings line: "calls held 14.7 ms, drain ..., total ..."
      held=$(grep -oE 'calls held [0-9.]+ (µs|ms|s)' <<<"$out" | sed 's/calls held //' | tail -1 || true)
    else
      outcome=$(grep -qiE 'error|exception' <<<"$out" && echo FAILED || echo "bundle:update")
      held="n/a"
    fi
    local reason=""
    [ "$outcome" = SUCCEEDED ] || reason=$(grep -oE '(REFUSED|FAILED): .*' <<<"$out" | head -1 | cut -c1-400 || true)
    rows+=("| $subject | $from -> $next | $channel | ${outcome:-?} | $(value calls "$figures") | $(value failed "$figures") | $(value withdrawn "$figures") | ${state#state=} | ${held:-} | ${reason//|/\\|} |")
    [ "${state#state=}" = kept ] || client "graft-eval:mark $subject" >/dev/null || true
    # A step Graft did not apply leaves the release it started from running.
    if [ "$channel" = bundle ] || [ "$outcome" = SUCCEEDED ]; then from=$next; fi
  done
  stop_karaf
}

build_and_unpack
for subject in "${subjects[@]}"; do
  for channel in graft bundle; do
    run_subject "$subject" "$channel"
  done
done

report="$work/evaluation-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "| subject | step | channel | outcome | calls | failed | withdrawals seen | state | held | why not applied |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "*withdrawals seen*: unregistrations of the service that the consumer's tracker saw during the step (a DS"
  echo "consumer with a static reference is restarted at each). *state*: the marker put in through the service's own"
  echo "API before the step is still there. *held*: how long Graft held calls. $THREADS callers, ${LOAD_BEFORE} s of load"
  echo "before and ${LOAD_AFTER} s after each update. Graft's configuration per subject (org.graft.container):"
  for subject in "${subjects[@]}"; do
    ga=${RELEASES[$subject]%% *}
    echo "- $subject (${HOW[$subject]}): managed.bundles = ${ga#*:};"\
      "state.fields = ${STATE_FIELDS[$subject]:-(none)}; dsu:update ${UPDATE_OPTIONS[$subject]:-(no option)}"
  done
} | tee "$report"
echo "Written to $report"
