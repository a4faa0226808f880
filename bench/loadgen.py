"""Load from a separate process with Debian's `wrk`: a Lua script rotates through a list of
request paths (each wrk thread from its own offset) and prints one JSON line of figures.
Every run is bounded in time; only 127.0.0.1 is ever loaded.

`wrk_distinct` sends each path at most once instead: wrk thread k of T takes the paths
k, k+T, k+2T, ... in turn. A thread that runs out of paths counts what it issued past the
end (`past_end`, wrapped round its slice) and stops; the caller gives more paths than the
run can use and refuses a run with past_end > 0."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local threads_made = 0
local counter = 0
setup = function(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end
init = function(args)
  counter = (tid or 0) * math.floor(#paths / 2)
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "duration_s": %%.3f, "bytes": %%d, "errors": %%d, "non_2xx": %%d, '
    .. '"p50_ms": %%.2f, "p90_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""

LUA_DISTINCT = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local thread_count = %(threads)d
local threads = {}
setup = function(thread)
  thread:set("tid", #threads)
  threads[#threads + 1] = thread
end
local slice = {}
issued = 0
past_end = 0
slice_size = 0
init = function(args)
  for at = (tid or 0) + 1, #paths, thread_count do slice[#slice + 1] = paths[at] end
  slice_size = #slice
end
request = function()
  issued = issued + 1
  if issued > #slice then
    past_end = past_end + 1
    wrk.thread:stop()
    return wrk.format("GET", slice[((issued - 1) %% #slice) + 1])
  end
  return wrk.format("GET", slice[issued])
end
done = function(summary, latency, requests)
  local issued_all, past_all, paths_all = 0, 0, 0
  for _, thread in ipairs(threads) do
    issued_all = issued_all + (thread:get("issued") or 0)
    past_all = past_all + (thread:get("past_end") or 0)
    paths_all = paths_all + (thread:get("slice_size") or 0)
  end
  io.write(string.format(
    '{"requests": %%d, "duration_s": %%.3f, "bytes": %%d, "errors": %%d, "non_2xx": %%d, '
    .. '"p50_ms": %%.2f, "p90_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f, '
    .. '"issued": %%d, "past_end": %%d, "paths": %%d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, issued_all, past_all, paths_all))
end
"""


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return found


def wrk(
    base: str,
    paths: list[str],
    connections: int,
    duration: float,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One bounded wrk run against base (http://127.0.0.1:PORT) over the paths, with the
    same headers (a Cookie, say) on every request."""
    return _run(LUA, base, paths, connections, duration, threads, headers)


def wrk_distinct(
    base: str,
    paths: list[str],
    connections: int,
    duration: float,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Like `wrk`, but each path is sent at most once (see the module's note):
    `distinct_requests` is how many distinct paths were answered, `wrapped` whether a
    thread ran out of paths (and so the run is not to be trusted)."""
    figures = _run(LUA_DISTINCT, base, paths, connections, duration, threads, headers)
    figures["wrapped"] = figures["past_end"] > 0
    figures["distinct_requests"] = max(0, figures["requests"] - figures["past_end"])
    return figures


def _run(
    lua: str,
    base: str,
    paths: list[str],
    connections: int,
    duration: float,
    threads: int,
    headers: Mapping[str, str] | None,
) -> dict[str, Any]:
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError(f"only 127.0.0.1 is loaded, not {base}")
    threads = min(threads, connections)
    with tempfile.TemporaryDirectory() as folder:
        path_file = Path(folder) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script = Path(folder) / "load.lua"
        script.write_text(lua % {"paths": path_file, "threads": threads}, encoding="utf-8")
        command = [
            require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            base,
        ]
        for name, value in (headers or {}).items():
            command[1:1] = ["-H", f"{name}: {value}"]
        result = subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=duration + 60
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    figures: dict[str, Any] = json.loads(line)
    figures["requests_per_s"] = round(figures["requests"] / figures["duration_s"], 1)
    figures["kb_per_response"] = round(figures["bytes"] / max(1, figures["requests"]) / 1024, 1)
    figures["connections"] = connections
    return figures
