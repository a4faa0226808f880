"""Load from a separate process with Debian's `wrk`: a Lua script rotates through a list of
request paths (each wrk thread from its own offset) and prints one JSON line of figures.
Every run is bounded in time; only 127.0.0.1 is ever loaded."""

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
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError(f"only 127.0.0.1 is loaded, not {base}")
    with tempfile.TemporaryDirectory() as folder:
        path_file = Path(folder) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script = Path(folder) / "load.lua"
        script.write_text(LUA % {"paths": path_file}, encoding="utf-8")
        command = [
            require_wrk(),
            f"-t{min(threads, connections)}",
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
