"""Real databases for the migration proofs: the verify tests' servers (one per session)."""

from tests.verify.conftest import mysql_server, postgres_server  # noqa: F401 - fixtures
