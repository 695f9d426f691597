"""Queries read from a project's code (Prisma Client, TypeORM, Sequelize calls and raw SQL)."""
