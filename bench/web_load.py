"""Load the search page (or /api/search) from a separate process with wrk.

Starts `testimony serve` on 127.0.0.1 over an archive already built by bench/run.py,
sends the evaluation queries in turn from `wrk` (bounded in time), and reports
requests/s and latency percentiles. Usage:

    python bench/web_load.py [--work var/bench/x1] [--workers 1] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "duration_s": %%.3f, "errors": %%d, "non_2xx": %%d, '
    .. '"p50_ms": %%.2f, "p90_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def query_paths(endpoint: str, queries: Path) -> list[str]:
    paths = []
    for line in queries.open(encoding="utf-8"):
        item = json.loads(line)
        params = {"q": item["query"], **(item.get("filters") or {})}
        paths.append(f"{endpoint}?{urlencode(params)}")
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(work: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "testimony_archive",
        "--archive",
        str(work / "archive"),
        "--var",
        str(work / "var"),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def load(base: str, paths: list[str], connections: int, duration: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path_file = Path(folder) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script = Path(folder) / "load.lua"
        script.write_text(LUA % {"paths": path_file}, encoding="utf-8")
        for path in paths:  # warm every query once (caches, snapshot), outside the measure
            subprocess.run(["curl", "-s", "-o", "/dev/null", base + path], check=False)
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    figures: dict[str, float] = json.loads(line)
    figures["requests_per_s"] = round(figures["requests"] / figures["duration_s"], 1)
    return figures


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "x1")
    parser.add_argument("--queries", type=Path, default=SHARED / "eval" / "known-items.dev.jsonl")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--endpoint", default="/search")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not (options.work / "var" / "index").exists():
        raise SystemExit(f"no index in {options.work}; run bench/run.py first")
    paths = query_paths(options.endpoint, options.queries)
    process, base = serve(options.work, options.workers)
    try:
        figures = load(base, paths, options.connections, options.duration)
        figures["serve_rss_mb"] = rss_mb(process.pid)
        sizes = [
            len(subprocess.run(["curl", "-s", base + path], capture_output=True).stdout)
            for path in paths
        ]
        assets = sum(
            len(subprocess.run(["curl", "-s", f"{base}/static/{name}"], capture_output=True).stdout)
            for name in ("style.css", "app.js")
        )
        figures["page_kb_max"] = round((max(sizes) + assets) / 1024, 1)
        figures["page_kb_median"] = round((sorted(sizes)[len(sizes) // 2] + assets) / 1024, 1)
    finally:
        process.terminate()
        process.wait(10)
    print(
        json.dumps(
            {
                "endpoint": options.endpoint,
                "workers": options.workers,
                "connections": options.connections,
                **figures,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
