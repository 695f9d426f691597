"""Outputs: operations rendered as SQL (`sql`, one module per dialect) and as migration files
in a project's own format (`migrations`)."""
