#!/usr/bin/env python3
"""Drives bin/karaf's local console in a pseudo-terminal, as a person at the terminal would, and
timestamps every line it prints: do dsu:update's lines arrive as its steps end, or all at its end?
It updates the sample counter to a version whose transformer hangs (transfer timeout 3 s), so calls
are held for 3 s, and ends with a verdict line: PASS if the first live line came at least 1.5 s
before the outcome line.

  python3 karaf-features/demo/local-console.py KARAF_DIR JAR_URL
  (e.g. an unpacked graft-karaf distribution, and
   file:$PWD/itest/target/fixtures/counter-v2-hanging-transformer.jar, which the tests build)
"""
import os, pty, sys, time, select, re

karaf, jar = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(karaf + "/bin/karaf", [karaf + "/bin/karaf"])
start = time.time()
buf = b""
seen = {}  # first time a line containing a marker was printed
def pump(seconds, until=None):
    global buf
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", line.decode("utf-8", "replace")).rstrip("\r")
                if text.strip():
                    at = time.time() - start
                    print("%7.2f s | %s" % (at, text), flush=True)
                    for marker in ("... calls held", "FAILED:"):
                        if marker in text and marker not in seen:
                            seen[marker] = at
                if until and until in text:
                    return True
    return False
pump(120, until="Hit '<tab>'")
def send(cmd, wait, until=None):
    os.write(fd, (cmd + "\r").encode())
    return pump(wait, until)
for _ in range(60):
    if send("dsu:list", 3, until="Service"):
        break
send("feature:install dsu-samples", 30, until="karaf@root")
for _ in range(30):
    if send("dsu:list", 2, until="org.graft.sample.counter"):
        break
t0 = time.time() - start
print("%7.2f s | --- dsu:update --no-rehearsal with a transformer that hangs (so calls are held), transfer timeout 3 s" % t0, flush=True)
send("dsu:update --no-rehearsal --transfer-timeout 3000 org.graft.sample.counter " + jar, 30, until="FAILED:")
send("system:shutdown -f", 20)
live, outcome = seen.get("... calls held"), seen.get("FAILED:")
if live is not None and outcome is not None and outcome - live >= 1.5:
    print("VERDICT: PASS - the live line came %.2f s before the outcome: lines stream as the update runs" % (outcome - live))
else:
    print("VERDICT: FAIL - live line at %s s, outcome at %s s: the lines did not stream" % (live, outcome))
    sys.exit(1)
