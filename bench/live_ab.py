#!/usr/bin/env python3
"""Two programs' `attache serve` compared on the day's brief, side by side.

    python3 bench/live_ab.py PROGRAM_A PROGRAM_B [SITE] [ROUNDS]

On a machine whose speed drifts by tens of percent within minutes, two
`bench_live` runs minutes apart can differ by more than the programs do.
This starts both servers at once, on two copies of one generated corpus
(SITE, by default /dev/shm/attache-bench/live-10000, made by
`examples/gen_corpus.rs`), and gives each in turn the brief `bench_live`
adds (a copy of brief-5000 dated 2030), timing from the file written to
its page served. Prints each program's medians: served, and the update
the server reports (`updated: ... in`).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

programs = [os.path.realpath(p) for p in sys.argv[1:3]]
source = sys.argv[3] if len(sys.argv) > 3 else "/dev/shm/attache-bench/live-10000"
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 11
base = os.path.join(os.path.dirname(os.path.abspath(source)), "live-ab")

servers = []
for n, program in enumerate(programs):
    site = os.path.join(base, str(n))
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site, symlinks=True)
    port = 38300 + n
    run = subprocess.Popen([program, "serve", "--root", site, "--port", str(port)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    said = []
    threading.Thread(target=lambda r=run, s=said: [s.append(l) for l in r.stdout], daemon=True).start()
    servers.append((site, port, run, said))
time.sleep(25)  # both built, their search indexes caught up

brief = open(os.path.join(source, "content/briefs/brief-5000.md")).read()
served = [[], []]
updates = [[], []]
try:
    for r in range(rounds):
        for n, (site, port, _, said) in enumerate(servers):
            marker = f"live-ab-{r}-{time.time_ns()}"
            text = re.sub(r"^title = .*$", f'title = "{marker}"', brief, flags=re.M)
            text = re.sub(r"^date = .*$", f"date = 2030-01-{r % 28 + 1:02d}", text, flags=re.M)
            seen = len(said)
            started = time.monotonic()
            with open(os.path.join(site, f"content/briefs/live-ab-{r}.md"), "w") as f:
                f.write(text)
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/briefs/live-ab-{r}/"
                    if marker in urllib.request.urlopen(url, timeout=5).read().decode():
                        break
                except OSError:
                    pass
                time.sleep(0.002)
            served[n].append(1000 * (time.monotonic() - started))
            time.sleep(1.5)  # the search index and feeds catch up
            for line in said[seen:]:
                m = re.search(r"updated: .* in ([\d.]+)ms", line)
                if m:
                    updates[n].append(float(m.group(1)))
                    break
finally:
    for (_, _, run, _) in servers:
        run.kill()
    shutil.rmtree(base, ignore_errors=True)
for n, program in enumerate(programs):
    update = f"{statistics.median(updates[n]):6.1f} ms" if updates[n] else "?"
    print(f"{program}: a new brief served, median of {rounds}: {statistics.median(served[n]):6.1f} ms "
          f"(the update {update}); all: {[round(x) for x in served[n]]}")
