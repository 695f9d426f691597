"""TypeORM migration classes read without running them.

`reader.py` finds the classes of a file (with the name and timestamp TypeORM orders them by) and
turns what `up` does into the replay's pieces: the SQL of each `queryRunner.query(...)` where it
is in the file, and each Table-API call (`queryRunner.createTable(new Table({...}))`) as the
operations `calls.py` builds from the SQL TypeORM's own query runner would write for it.
"""
