# Sourced after karaf-instance.sh by the scripts that run a Cellar group of three Graft Karafs on
# 127.0.0.1 (graft-cluster.sh, cluster-side-by-side.sh). Gives: nodes, node_dir, node_ssh, node_hz,
# use_node and on (a command on one node), stop_nodes (trapped on EXIT), unpack_nodes (three fresh
# copies of the distribution with Hazelcast and the JVM set up for the group), start_nodes and
# await_group (all three in Cellar's default group).

trap stop_nodes EXIT

nodes=(1 2 3)
declare -A node_dir node_ssh node_hz

use_node() { karaf=${node_dir[$1]}; ssh_port=${node_ssh[$1]}; }
on() { use_node "$1"; client "$2"; }

stop_nodes() {
  for n in "${nodes[@]}"; do
    [ -n "${node_dir[$n]:-}" ] || continue
    use_node "$n"
    stop_karaf
  done
}

# Hazelcast bound to 127.0.0.1 only, members found by TCP-IP on fixed ports (no multicast), a node
# declared dead after 15 s without heartbeat, and Graft's rollout records on every node.
hazelcast_xml() { # $1 this node's port; rest: every member's port
  local port=$1; shift
  local members=""
  for p in "$@"; do members+="<member>127.0.0.1:$p</member>"; done
  cat <<XML
<hazelcast xmlns="http://www.hazelcast.com/schema/config" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.hazelcast.com/schema/config http://www.hazelcast.com/schema/config/hazelcast-config-3.12.xsd">
  <group><name>graft-demo</name><password>graft-demo</password></group>
  <properties>
    <property name="hazelcast.phone.home.enabled">false</property>
    <property name="hazelcast.socket.bind.any">false</property>
    <property name="hazelcast.max.no.heartbeat.seconds">15</property>
  </properties>
  <member-attributes><attribute name="alias" type="string">\${karaf.name}</attribute></member-attributes>
  <network>
    <port auto-increment="false" port-count="1">$port</port>
    <join>
      <multicast enabled="false"/>
      <tcp-ip enabled="true"><member-list>$members</member-list></tcp-ip>
      <aws enabled="false"/>
    </join>
    <interfaces enabled="true"><interface>127.0.0.1</interface></interfaces>
  </network>
  <map name="default"><backup-count>1</backup-count></map>
  <map name="graft.*"><backup-count>2</backup-count></map>
</hazelcast>
XML
}

# Hazelcast 3.12 reaches into the JDK's internals; on Java 17 these keep it from warning and failing.
hazelcast_java_opts="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
--add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

unpack_nodes() {
  local n dir
  for n in "${nodes[@]}"; do node_hz[$n]=$(free_port); done
  for n in "${nodes[@]}"; do
    dir="$work/node$n"
    rm -rf "$dir"
    mkdir -p "$dir"
    tar xzf "karaf-features/distribution/target/graft-karaf-$version.tar.gz" -C "$dir" --strip-components=1
    node_dir[$n]=$dir
    node_ssh[$n]=$(free_port)
    sed -i "s/^sshPort *=.*/sshPort = ${node_ssh[$n]}/" "$dir/etc/org.apache.karaf.shell.cfg"
    sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" \
      "$dir/etc/org.apache.karaf.management.cfg"
    sed -i "s/^karaf.name *=.*/karaf.name = node$n/" "$dir/etc/system.properties"
    printf '%s\n' 'demo = demo,_g_:admingroup' '_g_\:admingroup = group,admin,manager,viewer,systembundles,ssh' \
      >>"$dir/etc/users.properties"
    # before Cellar's feature is installed: Karaf keeps an existing file rather than Cellar's default
    hazelcast_xml "${node_hz[$n]}" "${node_hz[@]}" >"$dir/etc/hazelcast.xml"
    printf '\nexport EXTRA_JAVA_OPTS="%s"\n' "$hazelcast_java_opts" >>"$dir/bin/setenv"
  done
}

start_nodes() {
  for n in "${nodes[@]}"; do
    use_node "$n"
    start_karaf
  done
}

await_group() {
  step "Waiting for the group to form (3 members of the default group, as node 1 sees it)"
  local formed=""
  for _ in $(seq 1 90); do
    if [ "$(on 1 "cluster:group-list" | grep -o '127\.0\.0\.1:[0-9]*' | sort -u | wc -l)" -ge 3 ]; then formed=yes; break; fi
    sleep 2
  done
  on 1 "cluster:node-list"
  on 1 "cluster:group-list"
  [ -n "$formed" ] || { echo "The three nodes did not form one group within 3 minutes: see $work/node*/data/log/karaf.log"; exit 1; }
}
