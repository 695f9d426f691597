"""Reports: what a workflow did, as Markdown for people and JSON for tools."""
