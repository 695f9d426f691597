"""The query rules (DB4xx) over a project's queries, for `schemasense check`.

The lint engine runs the rules on one schema unit's read; the query rules need the project's
code as well, so they run here, after the unit's analysis: the queries are read only when a
query rule is enabled for the project (`select` / `extend-select` / `[severity]` in
`schemasense.toml`, as for any rule), each finding gets the severity the configuration and its
`[[overrides]]` give the file it is in, and `// schemasense-ignore DB401` comments in the code
apply. A rule's own choice of a higher severity (a
query inside a loop is a warning) stands unless the configuration names one.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

from schemasense.server.findings import Finding
from schemasense.server.lint.registry import all_rules
from schemasense.server.lint.suppressions import Suppressor
from schemasense.server.project.config import (
    LoadedConfig,
    effective_severity,
    find_config_file,
    parse_config,
    rule_options,
    severity_configured,
)
from schemasense.server.queries.files import configured, is_query_file, skipped_folder
from schemasense.server.queries.read import (
    FoundQuery,
    project_units,
    read_file_queries,
    read_project_queries,
)
from schemasense.server.workspace.workspace import Workspace


def query_rules() -> list[type]:
    return [r for r in all_rules() if "queries" in r.applies_to]


def _loaded(workspace: Workspace, folder: str) -> LoadedConfig:
    config_file = find_config_file(folder, workspace.text)
    return parse_config(*config_file) if config_file else LoadedConfig()


def _enabled(loaded: LoadedConfig) -> list[type]:
    config = loaded.config
    return [
        rule
        for rule in query_rules()
        if effective_severity(rule, config, []) is not None
        or any(effective_severity(rule, config, [o]) is not None for o in config.overrides)
    ]


def query_findings(workspace: Workspace, path: str) -> list[Finding]:
    """The findings of every enabled query rule over the queries of the code below `path`."""
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    loaded = _loaded(workspace, folder)
    enabled = _enabled(loaded)
    if not enabled:
        return []
    found = read_project_queries(workspace, path).queries
    return _run(enabled, loaded, found, workspace.text)


FileMemo = dict[str, tuple[str, tuple, LoadedConfig, list[Finding]]]
"""path -> (the text read, the schemas and config it was read against, the config, the
findings): what `file_query_findings` reuses when neither the file nor its schemas changed."""


def file_query_findings(
    workspace: Workspace, path: str, memo: FileMemo | None = None
) -> tuple[list[Finding], LoadedConfig]:
    """The query rules' findings in one code file (an open document in the editor), read
    against the schema units of its project (`read.project_units`: its folder, else the
    folders above it), and the configuration that applied. Nothing for a file the project's
    query files leave out (a test, a build output, `[queries] exclude`)."""
    folder = os.path.dirname(path)
    loaded = _loaded(workspace, folder)
    text = workspace.text(path)
    if text is None or not is_query_file(path) or not configured(path, loaded):
        return [], loaded
    root = next((r for r in workspace.roots if path.startswith(r.rstrip(os.sep) + os.sep)), "")
    inside = os.path.relpath(folder, root).split(os.sep) if root else []
    if any(skipped_folder(part) for part in inside if part != "."):
        return [], loaded
    enabled = _enabled(loaded)
    if not enabled:
        return [], loaded
    units = project_units(workspace, folder)
    inputs = (loaded.config, *(u.schema for u in units), *(u.dialect for u in units))
    held = memo.get(path) if memo is not None else None
    if (
        held is not None
        and held[0] is text
        and len(held[1]) == len(inputs)
        and all(a is b or a == b for a, b in zip(held[1], inputs, strict=True))
    ):
        return held[3], held[2]
    findings = _run(enabled, loaded, read_file_queries(path, text, units), workspace.text)
    if memo is not None:
        memo[path] = (text, inputs, loaded, findings)
    return findings, loaded


def _run(
    enabled: list[type],
    loaded: LoadedConfig,
    found: list[FoundQuery],
    text_of: Callable[[str], str | None],
) -> list[Finding]:
    config = loaded.config
    findings: list[Finding] = []
    for rule_cls in enabled:
        rule = rule_cls(rule_options(config, rule_cls))
        for finding in rule.check_queries(found):
            overrides = loaded.overrides_for(finding.span.file)
            severity = effective_severity(rule_cls, config, overrides)
            if severity is None:
                continue
            if severity_configured(rule_cls, config, overrides):
                finding = dataclasses.replace(finding, severity=severity)
            findings.append(finding)
    texts = {f.span.file: text_of(f.span.file) or "" for f in findings}
    suppressor = Suppressor(texts)  # `// schemasense-ignore DB401` in the code file
    return [f for f in findings if not suppressor.suppressed(f)]
