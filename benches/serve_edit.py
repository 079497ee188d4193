#!/usr/bin/env python3
"""Edit-to-visible latency of `casebook serve` (issue #15 item 5).

    benches/serve_edit.py SITE [--kinds body,title,...] [--edits 10] [--gap 1.0]
                               [--casebook BIN] [--port 0]

Starts `casebook serve --root SITE`, waits for the first build (`/__casebook/status` answers
version >= 1), then makes `--edits` edits of each kind in `--kinds`, one at a time, each on
another resource (default: every kind):

    body       a sentence appended to the body
    title      a new `title:`
    date       a new `date:` (the newest in the library: it moves up every listing)
    summary    a new `summary:`
    term-add   a `regions:` term added      term-remove  one of its `regions:` removed
    type       `type:` changed (blog <-> report)
    new        a new resource written       delete       a resource deleted
    rename     a resource renamed           config       `casebook.yaml`'s title changed

`new`, `delete` and `rename` leave the library as they found it, so rounds repeat: a new
resource (a copy of one, with a new file name, so a new slug, and a new title) is deleted
again after the gap; `delete` first writes such a copy, waits until it shows and then times
its deletion; a renamed resource is renamed back after the gap. Those undo steps are not timed.

The latency of an edit is the time from the end of the write to the first HTTP answer
(127.0.0.1 only) showing it: the body, title, summary, type or date on the resource's page, a
term on its page (or its absence), a new or renamed page, a deleted page's 404, the new
title on the home page. It includes the watcher's 100 ms quiet period, the rebuild and the
publication. After each edit the script waits `--gap` seconds (an editor's pace), and before
the next edit it notes whether the search index of the last one has arrived
(`search_version`).

Prints each edit's latency and the server's own "rebuilt in N ms" lines, then p50/max per
kind and serve's peak RSS (VmHWM from /proc). SITE is edited: pass a copy, never a library
you keep. The edits leave the library valid; run the script again on the same copy and it
edits it further.
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
import urllib.error
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


def set_field(text: str, field: str, value: str) -> str:
    """`text` with the frontmatter line `field: ...` replaced by `field: value`."""
    new, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    if not count:
        sys.exit(f"no `{field}:` line to edit")
    return new


REGIONS = ["london", "south-east", "north-west", "midlands", "wales", "scotland"]


def regions_of(text: str) -> list:
    found = re.search(r"^regions: \[(.*)\]$", text, flags=re.M)
    return [t.strip() for t in found.group(1).split(",") if t.strip()] if found else []


def wait_for(port, url, shows):
    """Polls `url` until `shows(body, status)` (at most a minute)."""
    started = time.monotonic()
    while not shows(*fetch(port, url)):
        if time.monotonic() - started > 60:
            sys.exit(f"{url} never showed the change")
        time.sleep(0.005)


def settle(port, search_version):
    """Waits (at most three minutes) until serve has indexed a build newer than `search_version`:
    the search indexes follow every publication, the rest of the pages included, so serve is
    then idle and the next edit is timed alone, not behind this one's listings."""
    started = time.monotonic()
    while (s := status(port)) is None or s["search_version"] <= search_version:
        if time.monotonic() - started > 180:
            sys.exit("serve never indexed the last change")
        time.sleep(0.05)
    return s["search_version"]


def is_404(body, status):
    return status == 404


def is_200(body, status):
    return status == 200


def edit(kind: str, md: Path, content: Path, n: int, port: int):
    """Makes one edit of `kind` to `md`; returns (url, test, undo) where test(body, status)
    says whether the edit shows at `url`, and undo (or None) puts the library back as it was
    and returns the (url, test) to wait for."""
    marker = f"Serve edit marker {kind} {n} {time.time_ns()}"
    url = resource_url(md, content)
    text = md.read_text()
    shows = lambda body, status: marker.encode() in body  # noqa: E731
    if kind == "body":
        text += f"\n{marker}.\n"
    elif kind == "title":
        text = set_field(text, "title", f'"{marker}"')
    elif kind == "summary":
        text = set_field(text, "summary", f'"{marker}."')
    elif kind == "date":
        # Dates from 2030 on, one day apart per edit: always the newest, never the same.
        day = 1 + n % 28
        text = set_field(text, "date", f"2030-01-{day:02d}")
        shows = lambda body, status: f"2030-01-{day:02d}".encode() in body  # noqa: E731
    elif kind in ("term-add", "term-remove"):
        have = regions_of(text)
        if kind == "term-add":
            term = next(r for r in REGIONS if r not in have)
            have.append(term)
        else:
            term = have.pop() if have else sys.exit(f"{md} has no region to remove")
        text = set_field(text, "regions", f"[{', '.join(have)}]")
        link = f"regions/{term}/index.html".encode()
        present = kind == "term-add"
        shows = lambda body, status: (link in body) == present  # noqa: E731
    elif kind == "type":
        now = re.search(r"^type: (.*)$", text, flags=re.M).group(1).strip()
        new = "report" if now != "report" else "blog"
        text = set_field(text, "type", new)
        label = f'About this {new}'.encode()
        shows = lambda body, status: label in body  # noqa: E731
    elif kind == "new":
        fresh = md.with_name(f"serve-new-{n}-{time.time_ns()}.md")
        fresh.write_text(set_field(text, "title", f'"{marker}"'))
        fresh_url = resource_url(fresh, content)
        return fresh_url, shows, lambda: (fresh.unlink(), (fresh_url, is_404))[1]
    elif kind == "delete":
        copy = md.with_name(f"serve-delete-{n}-{time.time_ns()}.md")
        copy.write_text(set_field(text, "title", f'"{marker}"'))
        copy_url = resource_url(copy, content)
        indexed = status(port)["search_version"]
        wait_for(port, copy_url, shows)
        settle(port, indexed)  # its listings and search index too: serve is idle again
        copy.unlink()
        return copy_url, is_404, None
    elif kind == "rename":
        moved = md.with_name(f"{md.stem}-renamed.md")
        md.rename(moved)
        return resource_url(moved, content), is_200, lambda: (moved.rename(md), (url, is_200))[1]
    elif kind == "config":
        config = content.parent / "casebook.yaml"
        config.write_text(set_field(config.read_text(), "title", f'"{marker}"'))
        return "index.html", shows
    else:
        sys.exit(f"unknown edit kind {kind}")
    md.write_text(text)
    return url, shows, None


KINDS = "body,title,date,summary,term-add,term-remove,type,new,delete,rename,config"


def fetch(port, url):
    """(body, status) of `url`, a 404 included."""
    try:
        return get(port, url), 200
    except urllib.error.HTTPError as e:
        return e.read(), e.code


def resource_url(md: Path, content: Path) -> str:
    """The page of a resource without a `slug:` (the generator writes none): its path."""
    rel = md.relative_to(content).with_suffix("")
    return f"{rel.as_posix()}/index.html"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--kinds", default=KINDS, help=f"comma-separated edit kinds (default {KINDS})")
    parser.add_argument("--edits", type=int, default=10, help="edits of each kind")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between an edit showing and the next")
    parser.add_argument("--casebook", default=None, help="the binary (default: release build of this checkout)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    binary = args.casebook or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", Path(__file__).resolve().parent.parent / "target"), "release", "casebook"
    )
    port = args.port or free_port()
    content = args.site / "content"
    kinds = args.kinds.split(",")
    resources = sorted(
        r
        for r in content.rglob("*.md")
        if r.name != "_index.md" and "renamed" not in r.name and not r.name.startswith("serve-")
    )
    # Each edit its own resource, spread over the library and its sections.
    wanted = len(kinds) * args.edits
    step = max(1, len(resources) // max(1, wanted))
    targets = iter(resources[::step][:wanted])

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

        latencies = {kind: [] for kind in kinds}
        search_pending = 0
        for kind in kinds:
            for n in range(args.edits):
                md = next(targets)
                before = status(port)
                url, shows, undo = edit(kind, md, content, n, port)
                written = time.monotonic()
                # Read at once: the watcher waits 100 ms before serve even sees the write.
                unindexed = status(port)["search_version"]
                while not shows(*fetch(port, url)):
                    if time.monotonic() - written > 60:
                        sys.exit(f"{kind} edit {n} never showed on {url}; server said:\n" + "".join(log[-20:]))
                    time.sleep(0.005)
                latency = (time.monotonic() - written) * 1000
                latencies[kind].append(latency)
                print(f"{kind} edit {n}: {md.relative_to(content)} visible after {latency:.0f} ms")
                time.sleep(args.gap)
                after = status(port)
                if after["errors"]:
                    sys.exit(f"{kind} edit {n} left errors: {after['errors']}")
                if after["search_version"] <= before["search_version"]:
                    search_pending += 1
                indexed = settle(port, unindexed)
                if undo:
                    wait_for(port, *undo())
                    settle(port, indexed)
        time.sleep(0.5)
        print("server:", "".join(line for line in log if "rebuilt" in line).strip().replace("\n", "\n        "))
        hwm = vm_hwm_kb(server.pid)
        print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
        print("| edit | visible, p50 / max (ms) |")
        print("|---|---|")
        for kind, times in latencies.items():
            print(f"| {kind} | {statistics.median(times):.0f} / {max(times):.0f} |")
        print(
            f"serve peak RSS (VmHWM) {hwm // 1024} MB; "
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
