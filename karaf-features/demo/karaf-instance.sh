# Sourced by the demo scripts: one throwaway Karaf of the Graft distribution, from build to stop.
# The caller sets `work` (where to unpack) and `modules` (what to build, besides the distribution);
# it gets: step, build_and_unpack, fresh_karaf (a new copy, for a script that runs several), karaf,
# ssh_port, client, stop_karaf (trapped on EXIT), start_karaf.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Karaf's scripts want JAVA_HOME; take the java on the PATH (Java 17).
: "${JAVA_HOME:=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
export JAVA_HOME
cd "$root"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
karaf="$work/graft-karaf-$version"

step() { printf '\n=== %s\n' "$*"; }

build_and_unpack() {
  local log="$work/build.log"
  mkdir -p "$work"
  step "Building the distribution and $modules (log: $log)"
  mvn -B -ntp package -DskipTests -DskipITs -pl "karaf-features/distribution,$modules" -am >"$log" 2>&1 \
    || { tail -40 "$log"; echo "The build failed: see $log"; exit 1; }
  fresh_karaf
}

fresh_karaf() { # a new copy of the distribution, stopped; the one before is removed
  stop_karaf
  rm -rf "$karaf"
  tar xzf "karaf-features/distribution/target/graft-karaf-$version.tar.gz" -C "$work"
  # This copy gets free ports of its own and a demo user for bin/client (Karaf ships none enabled).
  ssh_port=$(free_port)
  sed -i "s/^sshPort *=.*/sshPort = $ssh_port/" "$karaf/etc/org.apache.karaf.shell.cfg"
  sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" \
    "$karaf/etc/org.apache.karaf.management.cfg"
  cat >>"$karaf/etc/users.properties" <<'USERS'
demo = demo,_g_:admingroup
_g_\:admingroup = group,admin,manager,viewer,systembundles,ssh
USERS
}

free_port() { # a port nothing listens on now; the kernel's choice where python3 is there
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    # bash's /dev/tcp connects: refused means that no one listens there
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

client() { # one command through Karaf's ssh client; its output is printed
  printf '%s\n' "$1" | "$karaf/bin/client" -a "$ssh_port" -u demo -p demo -b 2>&1
}

# Stopped by the pid its JVM writes to $karaf/karaf.pid (karaf.pid.file in etc/config.properties):
# that ends this instance and no other Karaf on the machine.
karaf_pid() { cat "$karaf/karaf.pid" 2>/dev/null || true; }

stop_karaf() {
  local pid; pid=$(karaf_pid)
  { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || return 0
  "$karaf/bin/stop" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  echo "Karaf (pid $pid) did not stop within 60 s of being asked to: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}
trap stop_karaf EXIT

# How long Karaf may take from bin/start until the dsu commands answer (under 30 s on an idle
# 2-core machine, about a minute on a loaded one).
boot_seconds=${BOOT_SECONDS:-180}

booted() { # polls, bounded: the commands answer through ssh, so there is no event to wait for here
  local deadline=$((SECONDS + boot_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    client "dsu:list" 2>/dev/null | grep -q "Service" && return 0
    sleep 2
  done
  return 1
}

start_karaf() {
  step "Starting Karaf ($karaf, ssh port $ssh_port)"
  "$karaf/bin/start"
  booted || {
    echo "Karaf did not answer dsu:list within $boot_seconds s of starting (still booting, or its boot failed):"
    echo "see $karaf/data/log/karaf.log"
    exit 1
  }
}
