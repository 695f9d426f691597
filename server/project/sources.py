"""The kinds of schema source a project can have, registered in the order their claims are
tried (`server/sources/base.py` loads this module on first use).

The one module that names every source, kept apart from `server/sources/` so that no source
imports another: adding a source is its package plus one line here.
"""

from __future__ import annotations

from schemasense.server.sources.base import register
from schemasense.server.sources.prisma.source import PrismaSource
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.sources.sql_ddl.source import SqlDdlSource
from schemasense.server.sources.typeorm.source import TypeOrmSource

register(PrismaSource())
register(SqlDdlSource())
register(TypeOrmSource())
register(SequelizeSource())
