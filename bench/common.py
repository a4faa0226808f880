"""Shared pieces of the benchmark: paths, percentiles, measured child processes, servers.

Nothing here imports the app, so that the chart script (run by the bench venv's Python)
and the app-side scripts can both use it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BENCH_DIR = ROOT / "var" / "bench"
CORPUS_DIR = SHARED / "corpus"
DEV_QUERIES = SHARED / "eval" / "known-items.dev.jsonl"
HOST = "127.0.0.1"


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def folder_mb(path: Path) -> float:
    """Size on disk of a file or of every file under a folder, in MB."""
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) / 1e6


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


# A small Python process between us and the measured command. On Linux a child's
# ru_maxrss starts from its parent's resident size at fork (it is kept across exec), so a
# command forked straight from this (large) process would report at least our own size.
_RUSAGE_WRAPPER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
sys.stderr.write("\\n" + json.dumps({"maxrss_kb": usage.ru_maxrss, "seconds": seconds}) + "\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: Sequence[str], env: dict[str, str] | None = None) -> Measured:
    """Run a child process to its end: its wall time, output and its own peak resident
    memory (measured by a small wrapper process, so that our size does not count)."""
    with (
        tempfile.TemporaryFile("w+b") as out,
        tempfile.TemporaryFile("w+b") as err,
    ):
        process = subprocess.run(
            [sys.executable, "-c", _RUSAGE_WRAPPER, *command],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env={**os.environ, **(env or {})},
            check=False,
        )
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    stderr, _, last = stderr.rstrip("\n").rpartition("\n")
    usage = json.loads(last)
    return Measured(usage["seconds"], usage["maxrss_kb"] / 1024, process.returncode, stdout, stderr)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Wait until the URL answers 200, or fail if the server process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server we started, by its own process (and its process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
    except ProcessLookupError:
        return
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait(15)


@contextmanager
def server(
    command: Sequence[str], ready_url: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in its own process group (with `env` as its whole environment, or
    ours); always stop it when the block ends."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        try:
            wait_ready(ready_url, process)
            yield process
        finally:
            stop(process)


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        try:
            for child in children.read_text().split():
                pids += process_tree(int(child))
        except OSError:
            continue
    return pids


def tree_memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at peak (VmHWM), summed over a process tree; and
    what of it now is the processes' own (RssAnon) and what is pages of files they read
    (RssFile: held by the operating system's cache, and shared by every process that
    maps them)."""
    fields = {"VmRSS:": "rss_mb", "VmHWM:": "peak_rss_mb", "RssAnon:": "anon_mb",
              "RssFile:": "file_mb"}  # fmt: skip
    kilobytes = dict.fromkeys(fields.values(), 0)
    for each in process_tree(pid):
        try:
            lines = Path(f"/proc/{each}/status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            name = fields.get(line.split(" ", 1)[0].split("\t", 1)[0])
            if name:
                kilobytes[name] += int(line.split()[1])
    return {name: round(value / 1024, 1) for name, value in kilobytes.items()}


def fetch(
    url: str, timeout: float = 60.0, headers: dict[str, str] | None = None
) -> tuple[int, bytes, float]:
    """One GET: status, body and milliseconds (errors give their status, or 0)."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError:
        body, status = b"", 0
    return status, body, (time.perf_counter() - started) * 1000


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
