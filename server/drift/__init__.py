"""Drift: where the declared schema (`schema.prisma`) and what the migrations build disagree.

- `database_form(declared)`: the declared schema as a database would hold it after Prisma's own
  SQL for it (`codegen.create_sql`, replayed by the migration reader), cached per table;
- `DriftComparer.compare(declared_form, migrated)`: every `Drift` between the two, from the
  comparison core (`codegen.ddl.compare`) under `DriftPolicy`, which is `NOT_DRIFT` as data
  (what Prisma's schema cannot say is not drift);

No database is needed: both sides come from text.
"""

from schemasense.server.drift.compare import NOT_DRIFT, Drift, DriftComparer, DriftPolicy
from schemasense.server.drift.database_form import DatabaseForm, DatabaseForms, database_form

__all__ = [
    "NOT_DRIFT",
    "DatabaseForm",
    "DatabaseForms",
    "Drift",
    "DriftComparer",
    "DriftPolicy",
    "database_form",
]
