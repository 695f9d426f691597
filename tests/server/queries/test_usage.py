"""`server/queries/usage.py`: which of the project's queries a key serves (the hover on an
index) and how many queries a table gets (the code lens), read once per file content and judged
again when the schema changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemasense.server.queries import usage
from schemasense.server.workspace.workspace import Workspace

from .test_read import write

SAMPLES = Path(__file__).resolve().parents[3] / "samples"

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Post {
  id     Int    @id @default(autoincrement())
  slug   String @unique
  status String
  rank   Int

  @@index([rank])
}
"""

CODE = """import { prisma } from "./db";
export const bySlug = (slug: string) => prisma.post.findUnique({ where: { slug } });
export const drafts = () => prisma.post.findMany({ where: { status: "draft" } });
export const top = () => prisma.post.findMany({ where: { rank: { gt: 3 } } });
export const one = (id: number) => prisma.post.findUnique({ where: { id } });
"""


def _prisma(tmp_path: Path) -> tuple[Workspace, str, str]:
    write(tmp_path, {"package.json": "{}", "prisma/schema.prisma": SCHEMA, "src/posts.ts": CODE})
    schema = str(tmp_path / "prisma" / "schema.prisma")
    return Workspace([str(tmp_path)]), schema, str(tmp_path)


def _key(workspace: Workspace, path: str, text: str, marker: str) -> usage.KeyAt | None:
    unit = workspace.unit_for(path)
    schema = workspace.analyze(unit).read.schema
    return usage.key_at(schema, path, text.index(marker) + 1)


def test_each_key_serves_its_queries(tmp_path: Path) -> None:
    workspace, schema, root = _prisma(tmp_path)
    judged = usage.judged_queries(workspace, root)
    assert [j.line for j in judged] == [2, 3, 4, 5]
    unit = workspace.unit_for(schema).key

    def lines(marker: str) -> tuple[list[int], list[int]]:
        key = _key(workspace, schema, SCHEMA, marker)
        assert key is not None and key.table.name == "Post"
        used = usage.key_usage(judged, unit, key)
        return [j.line for j in used.served], [j.line for j in used.not_served]

    assert lines("@unique") == ([2], [3, 4, 5])
    assert lines("@@index([rank])") == ([4], [2, 3, 5])
    assert lines("@id") == ([5], [2, 3, 4])
    assert _key(workspace, schema, SCHEMA, "status String") is None  # not on a key
    assert usage.table_counts(judged, unit, "Post") == (4, 3)  # drafts: no index
    assert usage.lens_title(4, 3) == "4 queries · 3 served"


def test_hover_text_links_each_query(tmp_path: Path) -> None:
    workspace, schema, root = _prisma(tmp_path)
    judged = usage.judged_queries(workspace, root)
    key = _key(workspace, schema, SCHEMA, "@unique")
    assert key is not None
    used = usage.key_usage(judged, workspace.unit_for(schema).key, key)
    text = usage.usage_markdown(used, lambda f, line: f"{Path(f).as_uri()}#L{line}", root)
    uri = (tmp_path / "src" / "posts.ts").as_uri()
    assert "**Queries it serves: 1**" in text
    assert f"- [src/posts.ts:2]({uri}#L2) `prisma.post.findUnique`" in text
    assert "**Queries on this table it does not serve: 3**" in text
    assert f"({uri}#L3)" in text and f"({uri}#L4)" in text and f"({uri}#L5)" in text


def test_the_links_stop_at_the_limit(tmp_path: Path) -> None:
    calls = "".join(
        f"export const q{i} = () => prisma.post.findMany({{ where: {{ status: 'x' }} }});\n"
        for i in range(usage.LINKS + 3)
    )
    write(tmp_path, {"package.json": "{}", "prisma/schema.prisma": SCHEMA, "src/a.ts": calls})
    workspace = Workspace([str(tmp_path)])
    schema = str(tmp_path / "prisma" / "schema.prisma")
    key = _key(workspace, schema, SCHEMA, "@unique")
    assert key is not None
    judged = usage.judged_queries(workspace, str(tmp_path))
    used = usage.key_usage(judged, workspace.unit_for(schema).key, key)
    text = usage.usage_markdown(used, lambda f, line: f"{f}#L{line}", str(tmp_path))
    assert f"it does not serve: {usage.LINKS + 3}**" in text
    assert text.count("- [src/a.ts:") == usage.LINKS
    assert "- and 3 more" in text


def test_kept_per_file_and_judged_again_when_the_schema_changes(tmp_path: Path) -> None:
    workspace, schema, root = _prisma(tmp_path)
    first = usage.judged_queries(workspace, root)
    again = usage.judged_queries(workspace, root)
    assert all(a is b for a, b in zip(first, again, strict=True))  # nothing read again

    # a keystroke in the schema: an index on status; the same file is judged again
    edited = SCHEMA.replace("@@index([rank])", "@@index([rank])\n  @@index([status])")
    workspace.open(schema, edited, 1)
    judged = usage.judged_queries(workspace, root)
    assert judged[1] is not first[1]
    assert judged[1].judgement is not None and judged[1].judgement.verdict == "served"
    unit = workspace.unit_for(schema).key
    assert usage.table_counts(judged, unit, "Post") == (4, 4)

    # a keystroke in another code file leaves posts.ts's reading as it was
    other = tmp_path / "src" / "other.ts"
    other.write_text("export const x = 1;\n")
    workspace.open(str(other), "export const y = 2;\n", 1)
    kept = usage.judged_queries(workspace, root)
    assert all(a is b for a, b in zip(judged, kept, strict=True))


def test_typeorm_and_sequelize_keys(tmp_path: Path) -> None:
    nest = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLES / "typeorm-nest", nest, ignore=shutil.ignore_patterns("node_modules"))
    write(
        nest,
        {
            "src/posts/posts.service.ts": (
                'import { InjectRepository } from "@nestjs/typeorm";\n'
                'import { Repository } from "typeorm";\n'
                'import { Post } from "./post.entity";\n'
                "export class PostsService {\n"
                "  constructor(\n"
                "    @InjectRepository(Post) private readonly posts: Repository<Post>,\n"
                "  ) {}\n"
                "  bySlug(slug: string) {\n"
                "    return this.posts.findOne({ where: { slug } });\n"
                "  }\n"
                "  drafts() {\n"
                '    return this.posts.find({ where: { title: "d" } });\n'
                "  }\n"
                "}\n"
            )
        },
    )
    workspace = Workspace([str(nest)])
    entity = str(nest / "src" / "posts" / "post.entity.ts")
    text = Path(entity).read_text()
    key = _key(workspace, entity, text, "@Index({ unique: true })")
    assert key is not None and key.table.name == "post"
    judged = usage.judged_queries(workspace, str(nest))
    used = usage.key_usage(judged, workspace.unit_for(entity).key, key)
    assert [j.line for j in used.served] == [9]
    assert [j.line for j in used.not_served] == [12]
    # the primary key sits on a base class every entity extends: not one key
    base = str(nest / "src" / "common" / "base.entity.ts")
    base_text = Path(base).read_text()
    assert _key(workspace, base, base_text, "@PrimaryGeneratedColumn") is None

    events = tmp_path / "sequelize-ts"
    shutil.copytree(SAMPLES / "sequelize-ts", events, ignore=shutil.ignore_patterns("node_modules"))
    write(
        events,
        {
            "src/events.ts": (
                'import { Event } from "./models";\n'
                "export const upcoming = (organizerId: number, from: Date) =>\n"
                "  Event.findAll({ where: { organizerId, startsAt: { [Op.gte]: from } } });\n"
            )
        },
    )
    workspace = Workspace([str(events)])
    model = str(events / "src" / "models" / "event.model.ts")
    text = Path(model).read_text()
    key = _key(workspace, model, text, '{ name: "events_organizer_id_starts_at"')
    assert key is not None and key.name == "events_organizer_id_starts_at"
    judged = usage.judged_queries(workspace, str(events))
    unit = workspace.unit_for(model).key
    used = usage.key_usage(judged, unit, key)
    assert [j.line for j in used.served] == [3] and used.not_served == []
    slug = _key(workspace, model, text, '{ name: "events_slug"')
    assert slug is not None
    assert [j.line for j in usage.key_usage(judged, unit, slug).not_served] == [3]
    assert usage.table_counts(judged, unit, "events") == (1, 1)
