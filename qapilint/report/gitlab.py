"""``--format gitlab``: the Code Quality report GitLab's merge-request
widget reads (a JSON array of issues: description, check_name,
fingerprint, severity, location.path and location.lines.begin). Paths are
relative to the repository's top, wherever the command runs. Fingerprints
survive line moves, and a second copy of a problem gets its own. It has
no form for ``--statistics`` (the CLI refuses the combination)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from qapilint.report import ReportInput, fingerprint_hash, ordered

# GitLab's severities: info, minor, major, critical, blocker
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(report: ReportInput) -> str:
    issues: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for path, finding in ordered(report.findings, report.top or report.cwd):
        fingerprint = fingerprint_hash(finding, report.top, report.cwd)
        seen[fingerprint] += 1
        if seen[fingerprint] > 1:  # GitLab keys issues by fingerprint: copies need their own
            data = f"{fingerprint}\x00{seen[fingerprint]}".encode()
            fingerprint = hashlib.sha256(data).hexdigest()[:32]
        issues.append(
            {
                "description": f"{finding.code} {finding.message}",
                "check_name": f"{finding.code} {finding.name}",
                "fingerprint": fingerprint,
                "severity": SEVERITIES.get(finding.severity, "minor"),
                "location": {
                    "path": path,
                    "lines": {"begin": finding.span.line, "end": finding.span.end_line},
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
