#!/usr/bin/env python3
"""Edit-to-visible latency of `casebook serve` (issue #15 item 5).

    benches/serve_edit.py SITE [--edits 10] [--gap 1.0] [--casebook BIN] [--port 0]

Starts `casebook serve --root SITE`, waits for the first build (`/__casebook/status` answers
version >= 1), then edits resources one at a time: each edit appends a unique sentence to a
resource's body and polls that resource's page over HTTP (127.0.0.1 only) until the sentence
shows. The time from the end of the write to the first answer holding the sentence is the
latency: it includes the watcher's 100 ms quiet period, the rebuild and the publication.
After each edit the script waits `--gap` seconds (an editor's pace), and before the next
edit it notes whether the search index of the last one has arrived (`search_version`).

Prints each edit's latency and the server's own "rebuilt in N ms" lines, then p50/max and
serve's peak RSS (VmHWM from /proc). SITE is edited: pass a copy, never a library you keep.
The edits are appended sentences; run the script again on the same copy and it adds more.
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as response:
        return response.read()


def status(port):
    try:
        return json.loads(get(port, "__casebook/status"))
    except OSError:
        return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_hwm_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def resource_url(md: Path, content: Path) -> str:
    """The page of a resource without a `slug:` (the generator writes none): its path."""
    rel = md.relative_to(content).with_suffix("")
    return f"{rel.as_posix()}/index.html"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between an edit showing and the next")
    parser.add_argument("--casebook", default=None, help="the binary (default: release build of this checkout)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    binary = args.casebook or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", Path(__file__).resolve().parent.parent / "target"), "release", "casebook"
    )
    port = args.port or free_port()
    content = args.site / "content"
    resources = sorted(content.rglob("*.md"))
    resources = [r for r in resources if r.name != "_index.md"]
    step = max(1, len(resources) // max(1, args.edits))
    targets = resources[::step][: args.edits]

    started = time.monotonic()
    server = subprocess.Popen(
        [binary, "serve", "--root", str(args.site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = []
    threading.Thread(target=lambda: log.extend(iter(server.stdout.readline, "")), daemon=True).start()
    try:
        while (s := status(port)) is None or s["version"] < 1:
            if server.poll() is not None:
                sys.exit("serve exited:\n" + "".join(log))
            time.sleep(0.05)
        first = time.monotonic() - started
        print(f"first build served after {first:.1f} s; RSS peak so far {vm_hwm_kb(server.pid) // 1024} MB")

        latencies = []
        search_pending = 0
        for n, md in enumerate(targets):
            url = resource_url(md, content)
            marker = f"Serve edit marker {n} {time.time_ns()}."
            before = status(port)
            with md.open("a") as f:
                f.write(f"\n{marker}\n")
            written = time.monotonic()
            while marker.encode() not in get(port, url):
                if time.monotonic() - written > 60:
                    sys.exit(f"edit {n} never showed on {url}")
                time.sleep(0.005)
            latency = (time.monotonic() - written) * 1000
            latencies.append(latency)
            print(f"edit {n}: {md.relative_to(content)} visible after {latency:.0f} ms")
            time.sleep(args.gap)
            after = status(port)
            if after["search_version"] <= before["search_version"]:
                search_pending += 1
        time.sleep(0.5)
        print("server:", "".join(line for line in log if "rebuilt" in line).strip().replace("\n", "\n        "))
        hwm = vm_hwm_kb(server.pid)
        print(
            f"latency over {len(latencies)} edits: p50 {statistics.median(latencies):.0f} ms, "
            f"max {max(latencies):.0f} ms; serve peak RSS (VmHWM) {hwm // 1024} MB; "
            f"search index not yet rebuilt {args.gap:g} s after an edit showed: {search_pending} times"
        )
        rebuilt = [int(m) for m in re.findall(r"rebuilt in (\d+) ms", "".join(log))]
        if rebuilt:
            print(f"server rebuild (update_pages) p50 {statistics.median(rebuilt):.0f} ms, max {max(rebuilt)} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
