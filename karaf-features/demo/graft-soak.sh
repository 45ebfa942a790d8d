#!/usr/bin/env bash
# The soak: the Graft Karaf with the sample counter under nonstop callers, updated live many times
# in a row in cycles of four (1 -> 2 -> 3, a rollback to 2, back to 1), with what the JVM holds
# measured from outside after every batch: live heap and metaspace after a full GC, the framework's
# bundle revisions still alive, threads, bundles, journal files and archived jars. Then, in the same
# Karaf, a control: with Karaf's own commands, what an update asks of the platform besides Graft's
# own work, as often: a DS bundle that Graft does not manage installed, started and uninstalled, and
# the features reloaded (feature:refresh; Graft reloads them after each update of a bundle a feature
# installed, so that the features service deploys the version that serves). Both keep heap in
# Karaf 4.4.10 whoever asks: Felix's service registry keeps each uninstalled bundle that once got a
# service still registered (here the ConfigurationAdmin that SCR looks up for every component
# bundle), with its revision; pax-url-aether keeps every Maven session a features reload opens (it
# returns them to its pool under another key than the one it looks them up by). Ends in a verdict:
# 0 failed calls, every key's counter equal to its calls, class loaders, metaspace, bundles, journal
# and archive flat after the warm-up, threads not growing, and per update no more revisions and heap
# kept than the control keeps per cycle.
#   bash karaf-features/demo/graft-soak.sh [updates]     (default 1000, a multiple of 4)
# Writes its table to karaf-features/demo/target/soak-report.txt as well.
set -Eeuo pipefail
trap 'echo "graft-soak.sh: line $LINENO: \"$BASH_COMMAND\" failed (exit $?)" >&2' ERR

updates=${1:-1000}
batch_updates=${SOAK_BATCH:-100}
# The warm-up fills what is bounded by design: the history keeps the last 100 update reports.
warmup_updates=${SOAK_WARMUP:-120}
control_cycles=${SOAK_CONTROL:-200}
(( updates % 4 == 0 && updates >= batch_updates )) || { echo "updates must be a multiple of 4, at least $batch_updates"; exit 2; }

work="$(cd "$(dirname "$0")" && pwd)/target"
modules=karaf-features/demo-load,sample-bundles/counter-v1,sample-bundles/counter-v2,sample-bundles/counter-v3
. "$(dirname "$0")/karaf-instance.sh"
report="$work/soak-report.txt"

jar() { echo "file:$root/sample-bundles/counter-v$1/target/counter-v$1-$version.jar"; }

build_and_unpack
start_karaf

step "Installing the samples and the load driver; 4 threads calling the counter nonstop"
client "feature:install dsu-samples"
client "bundle:install -s file:$root/karaf-features/demo-load/target/demo-load-$version.jar" >/dev/null
client "graft-demo:load-start --threads 4"
pid=$(karaf_pid)
manager_data=$(dirname "$(find "$karaf/data/cache" -type d -name journal -path '*/data/journal' | head -1)")

cycles() { # $1 updates, in cycles of four
  local out
  out=$(client "graft-demo:update-cycles --cycles $(( $1 / 4 )) $(jar 1) $(jar 2) $(jar 3)")
  printf '%s\n' "$out"
  grep -q '^Cycles done' <<<"$out"
}

# A measurement from outside the JVM, its output printed; tried three times, since an attach or an
# ssh login can fail for a moment on a loaded machine. If it still fails (the load driver cannot read
# the counter once its proxy was withdrawn, say), the soak ends with a FAIL verdict naming it, where
# under set -e a failing $(...) would end it without a word.
measured() { # the command
  local out try
  for try in 1 2 3; do
    if out=$("$@" 2>&1); then printf '%s\n' "$out"; return 0; fi
    echo "($* failed, try $try of 3: $(tail -3 <<<"$out" | tr '\n' ' '))" >&2
    sleep 5
  done
  # Inside $(...): the verdict goes to stderr and the report, and the failed command ends the script.
  echo "VERDICT: FAIL - the measurement '$*' failed three times ($(tail -1 <<<"$out")); Graft's warnings in karaf.log:" \
    "$(grep -E 'WARN|ERROR' "$karaf/data/log/karaf.log" | grep -v 'raced its reload' | grep -m3 -E 'withdrawn|Graft' || echo none)" \
    | tee -a "$report" >&2
  return 1
}

# One row of figures. The class histogram forces a full GC first, so its total is the live heap.
sample() { # $1 updates done so far; $2 a file to keep the class histogram in
  local histogram revisions loaders live metaspace threads bundles journal jars archive calls failed figures
  histogram=$(measured jcmd "$pid" GC.class_histogram)
  [ -z "${2:-}" ] || printf '%s\n' "$histogram" >"$2"
  revisions=$(awk '$4 == "org.apache.felix.framework.BundleRevisionImpl" {print $2}' <<<"$histogram")
  loaders=$(awk '$4 == "org.apache.felix.framework.BundleWiringImpl$BundleClassLoader" {print $2}' <<<"$histogram")
  live=$(awk '$1 == "Total" {printf "%.1f", $3 / 1048576}' <<<"$histogram")
  metaspace=$(measured jstat -gc "$pid" | awk 'NR == 2 {for (i = 1; i <= NF; i++) v[i] = $i} NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i} END {printf "%.1f", v[h["MU"]] / 1024}')
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  bundles=$(measured client "bundle:list -t 0 --no-format" | grep -cE '^ *[0-9]+[[:space:]]')
  journal=$(find "$manager_data/journal" -type f | wc -l)
  jars=$(find "$manager_data/archive" -type f -name '*.jar' | wc -l)
  archive=$(du -sk "$manager_data/archive" | cut -f1)
  figures=$(measured client "graft-demo:load-report --no-format")
  read -r calls failed < <(sed -n 's/^figures .* calls=\([0-9]*\) failed=\([0-9]*\) .*/\1 \2/p' <<<"$figures") || {
    echo "graft-soak.sh: graft-demo:load-report gave no figures: $figures" >&2; return 1; }
  thread_rows+=("$threads")
  meta_rows+=("$metaspace")
  printf '%7s %12s %7s %11s %10s %14s %8s %8s %8s %8s %11s %13s\n' "$1" "$live" "$metaspace" "$revisions" "$loaders" \
    "$threads" "$bundles" "$journal" "$jars" "$archive" "$calls" "$failed" | tee -a "$report"
}

step "Warm-up: $warmup_updates updates"
cycles "$warmup_updates"

step "Soak: $updates updates in batches of $batch_updates, measured after each"
{
  echo "Soak of $(date -u '+%Y-%m-%d %H:%M UTC'): $updates live updates after $warmup_updates of warm-up, 4 callers nonstop"
  printf '%7s %12s %7s %11s %10s %14s %8s %8s %8s %8s %11s %13s\n' updates "live heap MB" "meta MB" "revisions" \
    "loaders" "threads" "bundles" "journal" "archived" "arch. KB" "calls" "failed calls"
} | tee "$report"
thread_rows=()
# Karaf 4.4's features reload can race a features read: its deployment then installs, for a moment,
# the version an update replaced, until Graft reloads again (a WARNING names it). Each time is one
# more bundle uninstalled, kept by Felix as any.
raced() { grep -c 'raced its reload' "$karaf/data/log/karaf.log" || true; }
sample 0 "$work/histogram-first.txt"
first=$(tail -1 "$report")
raced0=$(raced)
done_updates=0
while (( done_updates < updates )); do
  cycles "$batch_updates"
  done_updates=$(( done_updates + batch_updates ))
  sample "$done_updates" "$work/histogram-last.txt"
done
last=$(tail -1 "$report")
raced1=$(raced)

# The control: a DS bundle of nothing but a component descriptor (its component is a
# java.lang.Object, so SCR activates it with no code of its own), which Graft does not manage.
control_jar="$work/soak-control.jar"
rm -rf "$work/soak-control" && mkdir -p "$work/soak-control/META-INF" "$work/soak-control/OSGI-INF"
printf '%s\n' 'Manifest-Version: 1.0' 'Bundle-ManifestVersion: 2' 'Bundle-SymbolicName: org.graft.soak.control' \
  'Bundle-Version: 1.0.0' 'Service-Component: OSGI-INF/control.xml' >"$work/soak-control/META-INF/MANIFEST.MF"
cat >"$work/soak-control/OSGI-INF/control.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="org.graft.soak.control" immediate="true">
  <implementation class="java.lang.Object"/>
</scr:component>
XML
(cd "$work/soak-control" && rm -f "$control_jar" && command jar cfm "$control_jar" META-INF/MANIFEST.MF OSGI-INF)
step "Control: $control_cycles cycles of Karaf's own commands, under the same load"
echo "Control: $control_cycles times bundle:install -s, bundle:uninstall, bundle:refresh of a DS bundle Graft does not manage, and feature:refresh" | tee -a "$report"
control_done=0
while (( control_done < control_cycles )); do
  commands=""
  for _ in $(seq 1 20); do
    commands+="bundle:install -s file:$control_jar"$'\n'"bundle:uninstall org.graft.soak.control"$'\n'"bundle:refresh"$'\n'
    commands+="feature:refresh"$'\n'
  done
  out=$(printf '%s' "$commands" | "$karaf/bin/client" -a "$ssh_port" -u demo -p demo -b 2>&1)
  ! grep -qiE 'error|exception' <<<"$out" || { printf '%s\n' "$out"; echo "The control's bundle commands failed"; exit 1; }
  control_done=$(( control_done + 20 ))
done
sample "+$control_cycles" "$work/histogram-control.txt"
after_control=$(tail -1 "$report")

# What grew between the first and the last row of the soak, class by class: the holder's types.
grown() { # $1 $2 histograms; prints the ten classes whose instances grew most, by bytes
  awk 'FNR == NR && $1 ~ /^[0-9]+:$/ {n[$4] = $2; b[$4] = $3; next}
       $1 ~ /^[0-9]+:$/ {d = $3 - b[$4]; if (d > 0) printf "%12d bytes %8d instances  %s\n", d, $2 - n[$4], $4}' "$1" "$2" |
    sort -rn | head -10
}
{ echo "Grown during the soak (first row to last), by bytes:"; grown "$work/histogram-first.txt" "$work/histogram-last.txt"; } | tee -a "$report"

step "Report"
load=$(client "graft-demo:load-stop")
printf '%s\n' "$load"
client "dsu:list"
summary=$(grep '^Load stopped after' <<<"$load" || true)

# The verdict. Counts of things Graft owns must end where they began; revisions and heap kept per
# update are judged against what Karaf keeps per control cycle (the live heap may move by what a GC
# leaves uncollected between two runs, about 2 MB).
read -r _ heap0 meta0 rev0 loaders0 threads0 bundles0 journal0 jars0 _ <<<"$first"
read -r _ heap1 meta1 rev1 loaders1 threads1 bundles1 journal1 jars1 _ <<<"$last"
read -r _ heap2 _ rev2 _ <<<"$after_control"
per() { awk -v d="$1" -v n="$2" 'BEGIN {printf "%.2f", d / n}'; }
raced_updates=$(( raced1 - raced0 ))
rev_per_update=$(per $(( rev1 - rev0 )) "$updates")
rev_allowed=$(per $(( updates + raced_updates )) "$updates")
rev_per_control=$(per $(( rev2 - rev1 )) "$control_cycles")
kb_per_update=$(awk -v a="$heap0" -v b="$heap1" -v n="$updates" 'BEGIN {printf "%.1f", (b - a) * 1024 / n}')
kb_per_control=$(awk -v a="$heap1" -v b="$heap2" -v n="$control_cycles" 'BEGIN {printf "%.1f", (b - a) * 1024 / n}')
{
  echo "Kept per update: $rev_per_update revisions, $kb_per_update KB of live heap;" \
    "per control cycle: $rev_per_control revisions, $kb_per_control KB;" \
    "$raced_updates of the updates raced Karaf's features reload (one more copy installed and removed by Karaf each)"
} | tee -a "$report"
problems=()
grep -q ' 0 failed' <<<"$summary" || problems+=("calls failed")
grep -q 'every key gained exactly its calls' <<<"$summary" || problems+=("increments were lost or doubled")
grep -q 'stayed registered' <<<"$summary" || problems+=("the proxy was unregistered")
# No more loaders than after the warm-up; fewer is a retired version's loader collected late.
[ "$loaders1" -le "$loaders0" ] || problems+=("bundle class loaders alive went from $loaders0 to $loaders1")
[ "$bundles1" = "$bundles0" ] || problems+=("bundles went from $bundles0 to $bundles1")
[ "$journal1" -le "$journal0" ] || problems+=("journal files went from $journal0 to $journal1")
[ "$jars1" -le "$jars0" ] || problems+=("archived jars went from $jars0 to $jars1")
# Thread pools grow and shrink with their keep-alive, and Metaspace settles over hundreds of updates
# (fragmentation; the class count does not move): either leaks if the soak's second half reaches
# higher than its first half did, as anything kept per update does.
second_half_higher() { # $1 slack, then the soak's rows; prints "first-half-max second-half-max" if higher
  local slack=$1; shift
  local rows=("$@") half=$(( ($# + 1) / 2 ))
  local a b
  a=$(printf '%s\n' "${rows[@]:0:$half}" | sort -g | tail -1)
  b=$(printf '%s\n' "${rows[@]:$half}" | sort -g | tail -1)
  awk -v a="$a" -v b="$b" -v s="$slack" 'BEGIN {exit !(b > a + s)}' && echo "$a $b"
}
soak_count=$(( updates / batch_updates + 1 ))
if grew=$(second_half_higher 2 "${thread_rows[@]:0:$soak_count}"); then
  problems+=("threads grew: at most ${grew% *} in the soak's first half, ${grew#* } in its second")
fi
if grew=$(second_half_higher 0.5 "${meta_rows[@]:0:$soak_count}"); then
  problems+=("metaspace grew: at most ${grew% *} MB in the soak's first half, ${grew#* } MB in its second")
fi
# One retired version is one uninstalled bundle: Graft may keep no more than the framework keeps.
awk -v g="$rev_per_update" -v c="$rev_per_control" -v r="$rev_allowed" 'BEGIN {exit !(g <= c * r + 0.02)}' \
  || problems+=("$rev_per_update revisions kept per update, more than the control's $rev_per_control per cycle")
awk -v a="$heap0" -v b="$heap1" -v g="$kb_per_update" -v c="$kb_per_control" 'BEGIN {exit !(b - a <= 2 || g <= c * 1.25)}' \
  || problems+=("$kb_per_update KB of heap kept per update, more than the control's $kb_per_control KB per cycle")
echo
if [ ${#problems[@]} = 0 ]; then
  echo "VERDICT: PASS - $updates live updates under 4 nonstop callers, Graft's figures flat, heap and revisions kept per update within the control's per cycle: ${summary#Load stopped after }" | tee -a "$report"
else
  echo "VERDICT: FAIL - $(IFS=';'; echo "${problems[*]}"). ${summary:-no load report}" | tee -a "$report"
  exit 1
fi
