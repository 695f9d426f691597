"""TODO"""

from schemasense.server.readers.prisma.database import Database


def validate(db: Database) -> None:
    return None
