"""Known vulnerabilities of the installed packages, by pip-audit, said honestly.

pip-audit asks PyPI's JSON API about each installed version. It fails the run (exit 1)
on any known vulnerability. A package it could not look up is not a pass: this says how
many packages were audited and why the others were not, so that a network that hides
the vulnerability data cannot pass for a clean audit. Usage:

    python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess  # nosec B404: runs pip-audit, a fixed command
import sys
from collections import Counter


def main() -> int:
    completed = subprocess.run(  # nosec B603: a fixed command, no shell
        [sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--format", "json",
         "--progress-spinner", "off"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        print(completed.stderr.strip() or "pip-audit printed no report", file=sys.stderr)
        return 1
    packages = report["dependencies"]
    found = [(p["name"], p["version"], v["id"]) for p in packages for v in p.get("vulns", [])]
    skipped = [p for p in packages if p.get("skip_reason")]
    for name, version, vulnerability in found:
        print(f"VULNERABLE {name} {version}: {vulnerability}")
    audited = len(packages) - len(skipped)
    print(f"pip-audit: {audited} of {len(packages)} packages audited, "
          f"{len(found)} known vulnerabilities.")  # fmt: skip
    reasons = Counter(p["skip_reason"].split(":")[0] for p in skipped)
    for reason, count in reasons.most_common():
        print(f"  not audited ({count}): {reason}")
    if skipped:
        print("  (PyPI's per-version JSON API did not answer from this network; the audit "
              "is complete only where it does.)")  # fmt: skip
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
