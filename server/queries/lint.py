"""The query rules (DB4xx) over a project's queries, for `schemasense check`.

The lint engine runs the rules on one schema unit's read; the query rules need the project's
code as well, so they run here, after the unit's analysis: the queries are read only when a
query rule is enabled for the project (`select` / `extend-select` / `[severity]` in
`schemasense.toml`, as for any rule), and each finding gets the severity the configuration
and its `[[overrides]]` give the file it is in. A rule's own choice of a higher severity (a
query inside a loop is a warning) stands unless the configuration names one.
"""

from __future__ import annotations

import dataclasses
import os

from schemasense.server.findings import Finding
from schemasense.server.lint.registry import all_rules
from schemasense.server.project.config import (
    LoadedConfig,
    effective_severity,
    find_config_file,
    parse_config,
    rule_options,
)
from schemasense.server.queries.read import read_project_queries
from schemasense.server.workspace.workspace import Workspace


def query_rules() -> list[type]:
    return [r for r in all_rules() if "queries" in r.applies_to]


def query_findings(workspace: Workspace, path: str) -> list[Finding]:
    """The findings of every enabled query rule over the queries of the code below `path`."""
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    config_file = find_config_file(folder, workspace.text)
    loaded = parse_config(*config_file) if config_file else LoadedConfig()
    config = loaded.config
    enabled = [
        rule
        for rule in query_rules()
        if effective_severity(rule, config, []) is not None
        or any(effective_severity(rule, config, [o]) is not None for o in config.overrides)
    ]
    if not enabled:
        return []
    found = read_project_queries(workspace, path)
    findings: list[Finding] = []
    for rule_cls in enabled:
        rule = rule_cls(rule_options(config, rule_cls))
        named = any(rule_cls.code == k or rule_cls.name == k for k in config.severity)
        for finding in rule.check_queries(found.queries):
            overrides = loaded.overrides_for(finding.span.file)
            severity = effective_severity(rule_cls, config, overrides)
            if severity is None:
                continue
            if named or any(rule_cls.code in o.severity for o in overrides):
                finding = dataclasses.replace(finding, severity=severity)
            findings.append(finding)
    return findings
