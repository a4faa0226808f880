"""The report's sections on accounts: signed in against anonymous, and verifying the
audit trail."""

from __future__ import annotations

from typing import Any

from .figures import (
    ACCESS_LIMITS,
    CACHED_ACCESS,
    DISTINCT_ACCESS,
    access_passed,
    access_ratios,
    dig,
)
from .report_tables import cell, ratio_text, table, verdict
from .web_access import QUIET


def access_section(runs: dict[str, dict[str, Any]], sizes: list[str]) -> list[str]:
    out: list[str] = []
    for measure, title in (
        (DISTINCT_ACCESS, "distinct queries (the target's measure)"),
        (CACHED_ACCESS, "the repeated mix, from the result cache (cached figures)"),
    ):
        measured = [size for size in sizes if dig(runs[size], "web", measure)]
        if measured:
            out += [
                "## Web: signed in against anonymous, our search page, 1 worker, 16 "
                f"connections: {title}",
                "",
                *_ratios_table(runs, measured, measure),
                *_roles_table(runs, measured, measure),
                _EXPLAINED[measure] + _CPU,
                "",
                *[_notes(size, dig(runs[size], "web", measure), measure) for size in measured],
                "",
            ]
    if out:
        out += [
            "The cached figures are the worst case for this ratio: the session lookup, the "
            "audit entry and the signed-in page's own parts (the tick boxes that collect "
            "paragraphs, the export links, the sign-out form) cost the same whether the "
            "search was cached or not, and a cached search costs the least, so their share "
            "is largest there. Researchers rarely repeat a query exactly: the distinct "
            "figures are what they meet.",
            "",
        ]
    return out


_EXPLAINED = {
    DISTINCT_ACCESS: (
        "Two slices of a stream of distinct queries per pair, each sent in both roles "
        "(the result cache is kept per access scope, so neither role's run finds the "
        "other's results), in the order anonymous on the first, signed in on the first, "
        "signed in on the second, anonymous on the second; each role's figures the mean of "
        "its runs. The benchmark's archives hold public documents only, so both roles "
        "search the same documents: the difference is the access check, the audit entry and "
        "the signed-in page's own parts. The target: requests/s ratio "
        f"≥ {ACCESS_LIMITS['requests_per_s']:g} and p95 ratio ≤ {ACCESS_LIMITS['p95_ms']:g}."
    ),
    CACHED_ACCESS: (
        "The same query mix (rotated by wrk) on one server process, in the order anonymous, "
        "signed in, signed in, anonymous after both roles' results were cached (whichever "
        "runs second pays for the other's cached results in the garbage collector's "
        "passes), each role's figures the mean of its runs. Reported apart: no target."
    ),
}
_CPU = (
    " The server's CPU time per request (from /proc, per thread: the event loop runs the "
    "dependencies, the session lookup among them; the route threads run the search, the "
    "audit entry and the page) depends far less on other processes than requests/s do; the "
    "process holds one interpreter lock, so its requests/s are bounded by one over the total."
)


def _ratios_table(runs: dict[str, dict[str, Any]], measured: list[str], measure: str) -> list[str]:
    rows = []
    for size in measured:
        access = dig(runs[size], "web", measure)
        anonymous, signed = access.get("anonymous") or {}, access.get("signed_in") or {}
        ratios = access_ratios(runs[size], measure)
        rows.append(
            [
                size,
                anonymous.get("requests_per_s"),
                signed.get("requests_per_s"),
                ratio_text(ratios["requests_per_s"]),
                anonymous.get("p50_ms"),
                signed.get("p50_ms"),
                anonymous.get("p95_ms"),
                signed.get("p95_ms"),
                ratio_text(ratios["p95_ms"]),
                ratio_text(ratios["cpu_ms_per_request"]),
                verdict(access_passed(runs[size], measure)),
            ]
        )
    return table(
        [
            "size",
            "anonymous req/s",
            "signed in req/s",
            "req/s signed/anon",
            "anonymous p50 ms",
            "signed in p50 ms",
            "anonymous p95 ms",
            "signed in p95 ms",
            "p95 signed/anon",
            "server CPU/request signed/anon",
            "access check costs < 10 %" if measure == DISTINCT_ACCESS else "under 10 % (no target)",
        ],
        rows,
    )


def _roles_table(runs: dict[str, dict[str, Any]], measured: list[str], measure: str) -> list[str]:
    rows = []
    for size in measured:
        access = dig(runs[size], "web", measure)
        for role, label in (("anonymous", "anonymous"), ("signed_in", "signed in")):
            figures = access.get(role) or {}
            cpu = figures.get("cpu_ms_per_request") or {}
            rows.append(
                [
                    size,
                    label,
                    figures.get("requests_per_s"),
                    figures.get("p99_ms"),
                    (figures.get("errors") or 0) + (figures.get("non_2xx") or 0),
                    cpu.get("event_loop"),
                    cpu.get("threads"),
                    cpu.get("total"),
                    figures.get("other_cpu_share"),
                ]
            )
    return table(
        [
            "size",
            "role",
            "req/s",
            "p99 ms",
            "errors",
            "server CPU ms/request: event loop",
            "route threads",
            "total",
            "CPUs used by other processes",
        ],
        rows,
    )


def _notes(size: str, access: dict[str, Any], measure: str) -> str:
    """What the runs sent, the audit entries they left, how quiet the machine was."""
    if measure == CACHED_ACCESS:
        notes = []
        for role, label in (("anonymous", "anonymous"), ("signed_in", "signed in")):
            cache = dig(access, role, "cache") or {}
            notes.append(
                f"{label}: {cache.get('cached')} of {cache.get('queries')} queries answered "
                "from the result cache just before the run"
            )
        sent = (
            f"cached figures ({'; '.join(notes)}): the load measures the web stack, the page "
            "and, signed in, the access check, not the search itself."
        )
    else:
        queries = access.get("queries") or {}
        sent = (
            f"{cell(queries.get('per_run'))} distinct queries per run (seed "
            f"{queries.get('seed')}), each slice sent once in each role, after "
            f"{queries.get('warm')} queries of their own in each role on the fresh server; "
            "a run whose stream ran out is refused."
        )
    written = dig(access, "signed_in", "audit_entries_written", "load")
    requests = dig(access, "signed_in", "requests")
    account = access.get("account") or {}
    return (
        f"- {size}: {sent} Audit entries written during the signed-in load: {cell(written)} "
        f"for {cell(requests)} requests completed by wrk (requests still in flight when wrk "
        "stops are answered and recorded too); trail length afterwards "
        f"{cell(dig(access, 'signed_in', 'audit_entries_after'))}. Account "
        f"`{account.get('name')}` ({account.get('role')}): {account.get('added_by')}. Other "
        f"processes kept {cell(dig(access, 'anonymous', 'other_cpu_share'))} / "
        f"{cell(dig(access, 'signed_in', 'other_cpu_share'))} CPUs busy during the "
        f"anonymous / signed-in runs (the {access.get('pairs_kept')} quietest of "
        f"{access.get('attempts')} pair(s), combined: another pair is measured while others "
        f"keep more than {QUIET:g} CPU busy; each pair: {access.get('other_cpu_shares')}). "
        f"Signed in / anonymous, pair by pair: {_spread(access.get('pair_ratios') or [])}."
    )


def audit_verify_section(verify: dict[str, Any]) -> list[str]:
    if not verify:
        return []
    out = [f"## Audit trail: verifying {cell(verify.get('entries'))} entries", ""]
    rows = [
        [
            "AuditTrail.verify() (library)",
            verify.get("library_s"),
            verify.get("library_entries_per_s"),
            verify.get("ok"),
        ]
    ]
    cli = verify.get("cli") or {}
    if cli:
        rows.append(
            [
                "testimony audit verify (a new process)",
                cli.get("seconds"),
                cli.get("entries_per_s"),
                cli.get("ok"),
            ]
        )
    out += table(["what", "s", "entries/s", "chain holds"], rows)
    runs = verify.get("library_runs_s") or []
    out += [
        f"Median of {len(runs)} run{'s' if len(runs) != 1 else ''} "
        f"({', '.join(cell(run) for run in runs)} s) over a "
        f"scratch instance database (`{verify.get('database')}`, "
        f"{cell(verify.get('database_mb'))} MB), written in {cell(verify.get('write_s'))} s "
        "with the trail's own hashing (the first and last entries through "
        "`AuditTrail.record`, those between in bulk)."
        + ("" if cli else " `testimony audit verify` does not exist yet: not timed."),
        "",
    ]
    return out


def _spread(ratios: list[dict[str, float]]) -> str:
    """Each kept pair's ratios, to show how far one pair can be from another."""
    return (
        ", ".join(f"{r.get('requests_per_s')} requests/s, {r.get('p95_ms')} p95" for r in ratios)
        or "not recorded"
    )
