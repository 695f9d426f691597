"""The `schemasense` command: check | schema | generate | serve.

Contract (issue 2; scripts may rely on it):
- `schemasense check PATH [--format text|json|sarif|github] [--since GIT_REF]`: PATH is a
  project folder (every schema below it is checked; node_modules and dot folders are skipped)
  or a `.prisma` file (a file of a multi-file schema folder is checked with the rest of its
  folder) or a SQL DDL schema file (`schema.sql`, `db/structure.sql`, or `[schema] path`).
  Text is compiler-style (`render.py`); JSON is a list of findings with `code`, `severity`,
  `message`, `path` (relative to the current folder), `range` (1-based `line`/`column`, end
  exclusive), `help` when there is one and `fix` (title, applicability, edits as character
  offsets) when there is one; `sarif` is SARIF 2.1.0 for code scanning;
  `github` is one workflow command per finding (annotations). `--since` checks only the
  migrations added since GIT_REF (the schema is always checked).
- `schemasense rules [CODE] [--json]`: every rule, or one rule's documentation.
- `schemasense dev gen-docs [--check]`: write `docs/rules/` from the rules' docstrings (with
  `--check`, exit 1 when a page is out of date); `schemasense dev new-rule NAME --code DBnnn`
  scaffolds a rule module and its test.
- `schemasense schema PATH --json`: the declared schema as `codegen.schema.Schema` JSON (unset
  fields left out; span files and sources relative to the current folder). PATH must
  name exactly one schema: a folder with several is refused, listing them, so that a script never
  gets a different shape depending on the project; pass one of them as PATH instead. The model
  is printed even when the schema has errors (the reader reads what it can); the exit code is
  then 1.
- `schemasense schema PATH --migrated --json`: what replaying the migrations builds, in the same
  `Schema` JSON. PATH is a migrations folder or a project with exactly one migration set
  (several are refused, listing them). Printed even when statements could not be replayed;
  the exit code is then 1.
- `schemasense schema --from-database URL --json`: what a real database holds (URL is
  `postgresql://`, `mysql://`/`mariadb://` or `sqlite:///path`), read from its catalog into the
  same `Schema` JSON (`server/verify/`), so it can be compared with a replay of the migrations.
  A database that cannot be reached is a usage error (exit 2).
- `schemasense generate migration [PATH] [--name NAME] [--dry-run] [--safe] [--rename T.OLD=NEW]
  [--drop-and-add T.OLD=NEW] [--format TOOL]`: the migration from what PATH's migrations build
  to what its schema declares, up and down, written into its migrations folder in the tool's
  format (Prisma's by default): every file or none. With `--dry-run` the files are printed
  instead. A rename the schema does not settle is asked for on a terminal, else the command
  lists it and exits 1 without writing. Nothing to generate is exit 0.
- `schemasense generate dto PATH [--model NAME ...] [--style class-validator|zod] [--out DIR]
  [--decimal string|number] [--dry-run]`: DTOs for PATH's models (class-validator classes and
  zod schemas, one file per model and style), all files or none; a file written before is
  updated between its generated markers, hand edits outside them kept.
- `schemasense generate tests [PATH] [--model NAME ...] [--runner jest|vitest] [--out DIR]
  [--dry-run]`: Vitest or Jest tests of the models' constraints in the project's ORM
  (`workflows/generate_tests.py`), every file or none; exit 2 when it cannot be done.
- `schemasense queries PATH [--json]`: every query the code below PATH makes (Prisma Client,
  raw SQL, ...), with its file:line, table, filters and sort (`workflows/queries.py`).
- `schemasense serve [--tcp HOST:PORT]`: the language server, on stdio by default.
- Exit codes: 0 when no finding is an error, 1 when one is, 2 for a usage error (argparse's own
  exit code), a PATH with no schema, or an internal error (a message on stderr).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemasense.server.workspace.workspace import Workspace

# What a command needs is imported inside it: `check` on a big project is measured against
# Squawk, cold, and importing what `serve` or `generate` need would be a third of it.

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

DEBUG_ENV = "SCHEMASENSE_DEBUG"


class UsageError(Exception):
    """A problem with what the user asked for (exit 2, message on stderr, no traceback)."""


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("schemasense")
    except metadata.PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """`--version`, which looks the version up only when asked (package metadata is slow to
    import)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kw: Any):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        sys.stdout.write(f"schemasense {version()}\n")
        parser.exit()


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the terminal's width found as shutil finds it but
    without importing shutil (and bz2, lzma): every `add_argument` makes a formatter, and
    the import was 5 ms of a warm `check`."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24):
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                columns = 80
        super().__init__(prog, indent_increment, max_help_position, max(columns, 1) - 2)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser with `_Formatter` (its subparsers are of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only` ("check" or "schema"), that command's alone:
    building every command's options is a tenth of a warm `check` (server/cache/)."""
    parser = _Parser(
        prog="schemasense",
        description="A language server and checker for the database layer of TypeScript back ends.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    if only in (None, "check"):
        check = commands.add_parser("check", help="report every problem in a project's schemas")
        check.add_argument(
            "path", metavar="PATH", help="a project folder, a .prisma file or a DDL schema file"
        )
        check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
        check.add_argument(
            "--since",
            metavar="GIT_REF",
            help="check only the migrations added since this git ref (the schema is always "
            "checked)",
        )
        _add_no_cache(check)

    if only is None:
        rules = commands.add_parser("rules", help="list the rules, or print one rule's docs")
        rules.add_argument("code", metavar="CODE", nargs="?", help="a rule code or name (DB101)")
        rules.add_argument("--json", action="store_true", help="the list as JSON")

        dev = commands.add_parser("dev", help="tools for working on schemasense itself")
        dev_commands = dev.add_subparsers(dest="dev_command", metavar="DEV_COMMAND", required=True)
        gen_docs = dev_commands.add_parser("gen-docs", help="write docs/rules/ from the docstrings")
        gen_docs.add_argument("--check", action="store_true", help="only check they are in sync")
        gen_docs.add_argument("--out", metavar="DIR", help="where to write (docs/rules/)")
        new_rule = dev_commands.add_parser("new-rule", help="scaffold a rule module and its test")
        new_rule.add_argument(
            "name", metavar="NAME", help="kebab-case, e.g. foreign-key-without-index"
        )
        new_rule.add_argument("--code", required=True, help="its code, e.g. DB120")

    if only in (None, "schema"):
        schema = commands.add_parser("schema", help="print the schema model that PATH declares")
        schema.add_argument(
            "path", metavar="PATH", nargs="?", help="a project folder or a .prisma file"
        )
        schema.add_argument(
            "--migrated",
            action="store_true",
            help="print what replaying PATH's migrations builds instead",
        )
        schema.add_argument(
            "--from-database",
            metavar="URL",
            help="read the schema from a database instead (postgresql://, mysql://, sqlite:///path)",
        )
        schema.add_argument(
            "--json",
            action="store_true",
            help="print the model as JSON (the default and only form)",
        )
        _add_no_cache(schema)

    if only is not None:
        return parser

    generate = commands.add_parser("generate", help="write code from the schema (migrations)")
    what = generate.add_subparsers(dest="what", metavar="WHAT", required=True)
    migration = what.add_parser(
        "migration", help="write the migration from the migrations to the schema, up and down"
    )
    migration.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        default=".",
        help="a project folder or its .prisma file (default: .)",
    )
    migration.add_argument("--name", help="the migration's name (default: from the change)")
    migration.add_argument("--dry-run", action="store_true", help="print the files, write none")
    migration.add_argument(
        "--safe",
        action="store_true",
        help="split it so that no step holds a long lock (PostgreSQL)",
    )
    migration.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="TABLE.OLD=NEW",
        help="take a rename the schema does not settle (repeatable)",
    )
    migration.add_argument(
        "--drop-and-add",
        action="append",
        default=[],
        metavar="TABLE.OLD=NEW",
        help="drop and add instead (repeatable)",
    )
    migration.add_argument(
        "--format",
        dest="tool",
        choices=("prisma", "typeorm", "sequelize", "flyway", "golang-migrate", "dbmate", "plain"),
        help="the migration tool's format (default: the project's own)",
    )

    _add_generate_model(what)
    dto = what.add_parser("dto", help="write class-validator and zod DTOs for the models")
    dto.add_argument(
        "path", metavar="PATH", help="a project folder, a .prisma file or a model file"
    )
    dto.add_argument(
        "--model", action="append", default=[], metavar="NAME", help="only this model (repeatable)"
    )
    dto.add_argument(
        "--style", choices=("class-validator", "zod"), help="one style (default: both)"
    )
    dto.add_argument("--out", metavar="DIR", help="where to write (default: src/dto or dto)")
    dto.add_argument(
        "--decimal", choices=("string", "number"), help="decimals as strings (default) or numbers"
    )
    dto.add_argument("--dry-run", action="store_true", help="print the files, write none")
    _add_generate_tests(what)
    _add_generate_feature(what)

    queries = commands.add_parser("queries", help="list the queries the code makes")
    queries.add_argument("path", metavar="PATH", help="a project folder or a code file")
    queries.add_argument("--json", action="store_true", help="print them as JSON")

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    serve.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="warning",
        help="what the server logs on stderr",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    first = (sys.argv[1:] if argv is None else list(argv))[:1]
    parser = build_parser(first[0] if first and first[0] in ("check", "schema") else None)
    try:
        args = parser.parse_args(_feature_form(argv))
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    collecting = gc.isenabled()
    if args.command != "serve":
        # A one-shot command builds hundreds of thousands of objects it keeps to the end and
        # frees few: the cyclic collector would walk them again and again (a third of a
        # check). The process is short, so it is left off; `serve` keeps it on. (It is turned
        # back on at the end for callers that run `main` in their own process: tests.)
        gc.disable()
    try:
        if args.command == "check":
            return _check_cached(args)
        if args.command in ("rules", "dev"):
            return _rules_or_dev(args)
        if args.command == "generate" and args.what == "model":
            return _generate_model(args)
        if args.command == "generate" and args.what == "dto":
            return _generate_dto(args)
        if args.command == "generate" and args.what == "tests":
            return _generate_tests(args)
        if args.command == "generate" and args.what == "feature":
            return _generate_feature(args)
        if args.command == "generate":
            return _generate_migration(args)
        if args.command == "queries":
            return _queries(args.path, args.json)
        if args.command == "schema":
            if args.from_database is not None:
                if args.path is not None:
                    raise UsageError("give PATH or --from-database URL, not both")
                return _schema_from_database(args.from_database)
            if args.path is None:
                raise UsageError("schema: give PATH (or --from-database URL)")
            if args.migrated:
                return _cached(("schema --migrated",), args, lambda: _schema_migrated(args.path))
            return _schema(args.path)
        return _serve(args.tcp, args.log_level)
    except UsageError as exc:
        print(f"schemasense: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"schemasense: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get(DEBUG_ENV):
            import traceback

            traceback.print_exc()
        else:
            print(f"(set {DEBUG_ENV}=1 to see the traceback)", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if collecting:
            gc.enable()


def _units(workspace: Workspace, path: str):
    try:
        units = workspace.units_at(path)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    if not units:
        from schemasense.server.project.discovery import nothing_found

        stopped = "".join(f"\n{notice}" for notice in workspace.take_notices())  # [limits]
        raise UsageError(nothing_found(path) + stopped)
    return units


def _add_no_cache(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (.schemasense_cache; SCHEMASENSE_NO_CACHE=1)",
    )


def _cached(command: tuple, args: argparse.Namespace, run: Any) -> int:
    """`run()` through the persistent cache of PATH's project (`server/cache/`), unless
    `--no-cache` or SCHEMASENSE_NO_CACHE says not to."""
    from schemasense.server.cache import store

    if args.no_cache or store.disabled_by_environment() or not os.path.exists(args.path):
        return run()
    from schemasense.server.cache.runs import cached_run

    return cached_run(command, args.path, run)


def _check_cached(args: argparse.Namespace) -> int:
    added: frozenset[str] | None = None
    if args.since is not None:
        from schemasense.server.project.since import added_since

        try:
            added = added_since(args.path, args.since)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    command = ("check", args.format, tuple(sorted(added)) if added is not None else None)
    return _cached(command, args, lambda: _check(args.path, args.format, added=added))


def _check(
    path: str, fmt: str, since: str | None = None, added: frozenset[str] | None = None
) -> int:
    from schemasense.server.render import (
        render_report,
        report_github,
        report_json,
        report_sarif,
    )
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace([path] if os.path.isdir(path) else [], incremental=False)
    units = _units(workspace, path)
    if since is not None:
        from schemasense.server.project.since import added_since

        try:
            added = added_since(path, since)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if added is not None:
        workspace.added_since = added
    findings = workspace.check_path(path)
    if os.path.isdir(path):  # the query rules (DB4xx) read the project's code
        from schemasense.server.queries.lint import query_findings

        findings = [*findings, *query_findings(workspace, path)]
    for notice in workspace.take_notices():  # a budget reached, a file not read ([limits])
        print(notice, file=sys.stderr)
    texts = {f.span.file: workspace.text(f.span.file) or "" for f in findings}
    if fmt == "json":
        sys.stdout.write(_json_lines(report_json(findings, texts)))
    elif fmt == "sarif":
        import json

        sys.stdout.write(json.dumps(report_sarif(findings, texts, version()), indent=2) + "\n")
    elif fmt == "github":
        sys.stdout.write(report_github(findings, texts))
    else:
        sys.stdout.write(render_report(findings, texts, schemas=len(units)))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _queries(path: str, as_json: bool) -> int:
    from schemasense.server.workflows.queries import QueriesError, run_cli

    try:
        text, code = run_cli(path, as_json)
    except QueriesError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(text)
    return code


def _json_lines(items: list[dict[str, Any]]) -> str:
    """A JSON list with one item per line: readable, diffable, and written by the json
    module's C encoder (with `indent` it falls back to Python, 15x slower on 3,000 findings)."""
    import json

    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"


def _rules_or_dev(args: argparse.Namespace) -> int:
    from schemasense.server.lint import commands

    if args.command == "rules":
        if args.code is None:
            result: int | str = commands.list_rules(sys.stdout, as_json=args.json)
        else:
            result = commands.show_rule(args.code, sys.stdout)
    elif args.dev_command == "gen-docs":
        result = commands.gen_docs(args.out, sys.stdout, check=args.check)
    else:
        result = commands.new_rule(args.name, args.code, sys.stdout)
    if isinstance(result, str):
        raise UsageError(result)
    return result


def _generate_migration(args: argparse.Namespace) -> int:
    from schemasense.server.workflows.generate_migration import GenerateError, run_cli

    ask = _ask_rename if sys.stdin.isatty() and sys.stderr.isatty() else None
    try:
        return run_cli(
            args.path,
            args.name,
            dry_run=args.dry_run,
            safe=args.safe,
            renames=args.rename,
            drop_and_add=args.drop_and_add,
            tool=args.tool,
            ask=ask,
        )
    except GenerateError as exc:
        raise UsageError(str(exc)) from None


def _generate_dto(args: argparse.Namespace) -> int:
    from schemasense.server.workflows.generate_dto import DtoError, run_cli

    try:
        return run_cli(
            args.path,
            models=args.model,
            style=args.style,
            out=args.out,
            decimal=args.decimal,
            dry_run=args.dry_run,
        )
    except DtoError as exc:
        raise UsageError(str(exc)) from None


def _add_generate_tests(what: Any) -> None:
    tests = what.add_parser(
        "tests", help="write test skeletons for the models' constraints (Vitest)"
    )
    tests.add_argument(
        "path", metavar="PATH", nargs="?", default=".", help="a project folder or its schema"
    )
    tests.add_argument(
        "--model", action="append", default=[], metavar="NAME", help="only this model (repeatable)"
    )
    tests.add_argument(
        "--runner",
        choices=("vitest", "jest"),
        help="the test runner (default: the project's, else vitest)",
    )
    tests.add_argument("--out", metavar="DIR", help="the tests' folder in the project (test/db)")
    tests.add_argument("--dry-run", action="store_true", help="print the files, write none")


def _generate_tests(args: argparse.Namespace) -> int:
    from schemasense.server.workflows.generate_migration import GenerateError
    from schemasense.server.workflows.generate_tests import run_cli

    try:
        return run_cli(
            args.path, models=args.model, runner=args.runner, out=args.out, dry_run=args.dry_run
        )
    except GenerateError as exc:
        raise UsageError(str(exc)) from None


# -- generate feature (server/workflows/generate_feature.py) --------------------------------------


def _feature_form(argv: Sequence[str] | None) -> list[str]:
    """`generate description:"…" migration:"…" orm:"…"` as `generate feature --description …`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "generate" or ":" not in args[1]:
        return args  # not the short form: the workflow (and its imports) is not loaded
    from schemasense.server.workflows.generate_feature import key_value_form

    return key_value_form(args)


def _add_generate_feature(what: Any) -> None:
    feature = what.add_parser(
        "feature", help="the database layer of a feature from a description (schema + queries)"
    )
    feature.add_argument(
        "--description",
        required=True,
        metavar="TEXT|@FILE",
        help="SQL DDL, Prisma models, a TypeORM entity or a Sequelize model",
    )
    feature.add_argument("--migration", metavar="NAME", help="the migration's name")
    feature.add_argument(
        "--orm",
        choices=("prisma", "typeorm", "sequelize"),
        help="the model set to write to, where the project has several",
    )
    feature.add_argument("--project", default=".", metavar="DIR", help="the project folder (.)")
    feature.add_argument("--dry-run", action="store_true", help="print the files, write none")
    feature.add_argument("--format", choices=("markdown", "json"), default="markdown")
    feature.add_argument(
        "--verify",
        nargs="?",
        const="",
        default=None,
        metavar="URL",
        help="before writing, apply the migration to a scratch database (embedded PostgreSQL, "
        "or new ones on the server URL names: postgresql://, mysql://, mariadb://, sqlite:) "
        "and run the generated tests; exit 3 and write nothing when a step fails",
    )


def _generate_feature(args: argparse.Namespace) -> int:
    from schemasense.server.workflows.generate_feature import run_cli

    return run_cli(args.description, project=args.project, migration=args.migration,
                   orm=args.orm, dry_run=args.dry_run, fmt=args.format,
                   verify=args.verify)  # fmt: skip


def _ask_rename(candidate) -> bool:
    answer = input(f"Was {candidate.label} renamed? [y = rename / n = drop and add] ")
    return answer.strip().lower().startswith("y")


def display_path(path: str) -> str:
    from schemasense.server.render import display_path as relative

    return relative(path)


def _print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _schema(path: str) -> int:
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace()
    units = _units(workspace, path)
    if len(units) > 1:
        listed = "\n".join(f"  {display_path(u.key)}" for u in units)
        raise UsageError(f"{path} holds {len(units)} schemas; pass one of them as PATH:\n{listed}")
    analysis = workspace.analyze(units[0])
    data = _relative_files(analysis.read.schema.model_dump(mode="json", exclude_none=True))
    _print_json(data)
    errors = [f for f in analysis.findings if f.severity == "error"]
    if errors:
        print(
            f"schemasense: the schema has {len(errors)} error(s); "
            f"run `schemasense check {path}` to see them",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    return EXIT_OK


def _schema_migrated(path: str) -> int:
    from schemasense.server.migrations import discover_migrations, read_set, replay

    if not os.path.isdir(path):
        raise UsageError(f"{path}: not a folder (give a migrations folder or a project)")
    found = read_set(path)
    sets = [found] if found is not None else discover_migrations(path)
    if not sets:
        raise UsageError(f"{path}: no migrations found below it")
    if len(sets) > 1:
        listed = "\n".join(f"  {display_path(s.root)}" for s in sets)
        raise UsageError(f"{path} holds {len(sets)} migration sets; pass one as PATH:\n{listed}")
    mset = sets[0]
    if mset.dialect_source == "default":
        # nothing said the dialect: a DDL schema file beside the folder does (dbmate's
        # db/schema.sql beside db/migrations)
        from schemasense.server.project.detection import ddl_dialect, ddl_schema_beside

        schema = ddl_schema_beside(os.path.join(mset.root, "x.sql"))
        text = _read_text(schema) if schema is not None else None
        if text is not None:
            dialect = ddl_dialect(None, text)[0]
            mset = read_set(mset.root, mset.tool, dialect=dialect) or mset
    result = replay(mset)
    data = _relative_files(result.schema.model_dump(mode="json", exclude_none=True))
    _print_json(data)
    errors = [f for f in result.findings if f.severity == "error"]
    if errors:
        print(
            f"schemasense: replaying the migrations gave {len(errors)} error(s):", file=sys.stderr
        )
        for f in errors[:10]:
            print(f"  {display_path(f.span.file)}: {f.code} {f.message}", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            return f.read()
    except OSError:
        return None


def _schema_from_database(url: str) -> int:
    from schemasense.server.verify.databases import introspect

    try:
        schema = introspect(url)
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:  # the driver's own error: unreachable, refused, unknown database
        if type(exc).__module__.split(".")[0] not in ("psycopg", "pymysql", "sqlite3"):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{url}: {first}") from None
    data = schema.model_dump(mode="json", exclude_none=True)
    _print_json(data)
    return EXIT_OK


def _relative_files(data: Any) -> Any:
    """The schema's JSON with every span's file and every source relative to the current
    folder, as `check` prints paths, so the output does not depend on where the project is."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "span" and isinstance(value, dict) and isinstance(value.get("file"), str):
                value = {**value, "file": display_path(value["file"])}
            elif key == "sources" and isinstance(value, list):
                value = [display_path(v) if isinstance(v, str) else v for v in value]
            else:
                value = _relative_files(value)
            out[key] = value
        return out
    if isinstance(data, list):
        return [_relative_files(v) for v in data]
    return data


def _serve(tcp: str | None, log_level: str) -> int:
    import logging

    logging.basicConfig(
        level=getattr(logging, log_level.upper()),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from schemasense.server.render import MaskCredentials

    for handler in logging.getLogger().handlers:  # no password of a URL in the log
        handler.addFilter(MaskCredentials())
    from schemasense.server.app import create_server

    server = create_server()
    if tcp is None:
        server.start_io()
        return EXIT_OK
    host, sep, port = tcp.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise UsageError(f"--tcp wants HOST:PORT, not {tcp!r}")
    server.start_tcp(host.strip("[]"), int(port))
    return EXIT_OK


# -- generate model (server/workflows/generate_model.py) ----------------------------------------


def _add_generate_model(what: Any) -> None:
    model = what.add_parser(
        "model", help="write the models of another ORM (Prisma, TypeORM, Sequelize) for PATH's"
    )
    model.add_argument(
        "path", metavar="PATH", nargs="?", default=".", help="a project folder or a model file"
    )
    model.add_argument(
        "--to", required=True, choices=("typeorm", "prisma", "sequelize"), help="the target ORM"
    )
    model.add_argument(
        "--model",
        dest="models",
        action="append",
        default=[],
        metavar="NAME",
        help="a model, class or table to generate (repeatable; default: all)",
    )
    model.add_argument("--out", metavar="DIR", help="where to write (default: the project's own)")
    model.add_argument("--dry-run", action="store_true", help="print the files, write none")
    model.add_argument("--json", action="store_true", help="print the files as JSON")


def _generate_model(args: argparse.Namespace) -> int:
    from schemasense.server.workflows.generate_model import GenerateError, run_cli

    try:
        return run_cli(
            args.path, args.to, args.models, args.out, dry_run=args.dry_run, as_json=args.json
        )
    except GenerateError as exc:
        raise UsageError(str(exc)) from None
