"""How busy the other processes kept the machine during a measurement.

The load generator shares the CPUs with the server, and on a shared machine so may
anything else (a test suite, a build). What the machine spent on processes that are
neither the measured server (and its children), nor this process or the load generator
it ran, is counted from /proc, so that a comparison of two runs can say whether they
were measured on an equally quiet machine. The server's own CPU time per request does
not depend on how busy the machine is nearly as much as its requests/s do.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .common import process_tree

TICKS = os.sysconf("SC_CLK_TCK")


def busy_s() -> float:
    """CPU seconds the whole machine has spent busy since it started."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def tree_cpu_s(pid: int) -> float:
    """CPU seconds used by a process and its children that are still running."""
    total = 0
    for each in process_tree(pid):
        try:
            stat = Path(f"/proc/{each}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def trees_cpu_s(pids: tuple[int, ...]) -> float:
    """CPU seconds used by several process trees (and their running children)."""
    return sum(tree_cpu_s(pid) for pid in pids)


def thread_cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds of a process's main thread (a server's event loop) and of its other
    threads (where the routes run)."""
    main = others = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])
        if task.name == str(pid):
            main += ticks
        else:
            others += ticks
    return main / TICKS, others / TICKS


def own_cpu_s() -> float:
    """This process and the children it has waited for (the load generator)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def other_processes(server_pid: int, *measured_pids: int) -> Iterator[dict[str, float]]:
    """Fills the dict with `other_cpu_share`: the CPUs that other processes kept busy, on
    average, while the block ran (0.5 = half of one CPU); and with the CPU seconds the
    server's main thread (`loop_cpu_s`) and its other threads (`threads_cpu_s`) used.
    The trees of `measured_pids` (a second server, its database) are not "other"
    processes: they are part of what is measured."""
    found: dict[str, float] = {}
    pids = (server_pid, *measured_pids)
    started, busy, server, own = time.perf_counter(), busy_s(), trees_cpu_s(pids), own_cpu_s()
    loop, threads = thread_cpu_s(server_pid)
    yield found
    wall = time.perf_counter() - started
    loop_after, threads_after = thread_cpu_s(server_pid)
    other = (busy_s() - busy) - (trees_cpu_s(pids) - server) - (own_cpu_s() - own)
    found["other_cpu_share"] = round(max(0.0, other) / wall, 2) if wall else 0.0
    found["loop_cpu_s"] = round(loop_after - loop, 2)
    found["threads_cpu_s"] = round(threads_after - threads, 2)
