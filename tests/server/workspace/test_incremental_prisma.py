"""A keystroke in cal.com's schema reuses what the last read, the rules and the publisher
kept (parsed blocks, lowered tables, per-table findings, drift, converted diagnostics); what
the editor is shown must be exactly what a new workspace shows for the same text.

A seeded sequence of random edits (characters typed and deleted anywhere in a model, fields
added and removed, `@unique` added, a type broken and mended, a model appended, the original
text back) is typed into one long-lived workspace with every rule and drift on; after each,
the diagnostics it published (ranges, messages, fixes' edits, per file, as the client holds
them) and the analysis' findings are compared with those of a new workspace and publisher
that open the same text. A scripted sequence does the same for edits that change the schema's
shape: across two models, a model, a relation and an enum added and removed, errors mended.
"""

from __future__ import annotations

import random
import re

import pytest
from schemasense.server.features.diagnostics import DiagnosticsPublisher
from schemasense.server.workspace.workspace import Analysis, TextChange, Workspace

EDITS = 24
SEED = 17


def _findings(analysis: Analysis) -> list[tuple]:
    return sorted(
        (
            f.code,
            f.severity,
            f.message,
            f.span.file,
            f.span.start,
            f.span.end,
            f.help,
            tuple((s.file, s.start, s.end) for s in f.related),
            None
            if f.fix is None
            else (
                f.fix.title,
                f.fix.applicability,
                tuple((e.span.file, e.span.start, e.span.end, e.new_text) for e in f.fix.edits),
            ),
        )
        for f in analysis.findings
    )


class _Client:
    """What a client holds: the last diagnostics published for each file."""

    def __init__(self) -> None:
        self.shown: dict[str, list] = {}

    def receive(self, params) -> None:
        self.shown[params.uri] = list(params.diagnostics)

    def view(self) -> dict[str, list]:
        return {uri: d for uri, d in self.shown.items() if d}


def _cold(root: str, path: str, text: str) -> tuple[dict[str, list], Analysis]:
    workspace = Workspace([root])
    client = _Client()
    publisher = DiagnosticsPublisher(workspace, client.receive)
    workspace.open(path, text, 1, "prisma")
    publisher.refresh([path])
    return client.view(), workspace.analyze(workspace.unit_for(path))


def _first_difference(warm: list, cold: list) -> str:
    """The first item that differs (the lists hold hundreds of findings: a whole-list diff is
    unreadable, and slow to make)."""
    for a, b in zip(warm, cold, strict=False):
        if a != b:
            return f"incremental {a!r} vs new {b!r}"
    return f"{len(warm)} findings incrementally vs {len(cold)} in a new workspace"


def _published_difference(warm: dict[str, list], cold: dict[str, list]) -> str:
    if warm.keys() != cold.keys():
        return f"files {sorted(warm.keys() ^ cold.keys())}"
    uri = next(u for u in warm if warm[u] != cold[u])
    return f"{uri}: {_first_difference(warm[uri], cold[uri])}"


def _model_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"(?m)^model \w+ \{\n(?:.*\n)*?\}", text)]


def _edit(rng: random.Random, text: str, original: str, step: int) -> str:
    """One edit a developer might make, on the text the edits before it left."""
    kind = rng.choice(
        ["space", "space", "newline", "delete", "typo", "field", "unique", "drop", "append", "back"]
    )
    models = _model_spans(text)
    if kind == "back" or not models:
        return original
    start, end = rng.choice(models)
    body = text.index("{", start) + 2
    at = rng.randrange(body, end)
    if kind == "space":
        return text[:at] + " " + text[at:]
    if kind == "newline":
        line = text.index("\n", at) + 1
        return text[:line] + "\n" + text[line:]
    if kind == "delete":
        return text[:at] + text[at + 1 :]
    lines = [m.end() for m in re.finditer(r"\n", text[body:end])]
    line_start = body + rng.choice([0, *lines[:-1]])
    line_end = text.index("\n", line_start)
    if kind == "typo":
        typed = re.search(r" (String|Int|Boolean|DateTime)\b", text[line_start:line_end])
        if typed is None:
            return text[:at] + "x" + text[at:]
        cut = line_start + typed.end()
        return text[:cut] + "x" + text[cut:]
    if kind == "field":
        return text[:line_start] + f"  probe{step} Int?\n" + text[line_start:]
    if kind == "unique":
        return text[:line_end] + " @unique" + text[line_end:]
    if kind == "drop":
        return text[:line_start] + text[line_end + 1 :]
    return text + f"\nmodel Probe{step} {{\n  id Int @id\n  total Float\n  at DateTime\n}}\n"


@pytest.mark.corpus
def test_random_edits_in_calcom_publish_what_a_new_workspace_publishes(corpus_dir):
    schema = corpus_dir / "calcom" / "packages" / "prisma" / "schema.prisma"
    root, path = str(schema.parent), str(schema)
    original = schema.read_text(encoding="utf-8")
    workspace = Workspace([root])
    client = _Client()
    publisher = DiagnosticsPublisher(workspace, client.receive)
    workspace.open(path, original, 1, "prisma")
    publisher.refresh([path])
    rng = random.Random(SEED)
    text = original
    kinds_seen = {"valid": 0, "errors": 0}
    for step in range(1, EDITS + 1):
        text = _edit(rng, text, original, step)
        has_error = _type_and_compare(workspace, publisher, client, root, path, text, step)
        kinds_seen["errors" if has_error else "valid"] += 1
    # the sequence went through both valid schemas (every rule runs) and broken ones
    assert kinds_seen["valid"] and kinds_seen["errors"], kinds_seen


def _type_and_compare(
    workspace: Workspace,
    publisher: DiagnosticsPublisher,
    client: _Client,
    root: str,
    path: str,
    text: str,
    step: int,
) -> bool:
    """Send `text` as the document's next version; assert the findings and the published
    diagnostics equal a new workspace's; whether the version has an error."""
    workspace.change(path, step + 1, [TextChange(text)])
    publisher.refresh([path])
    warm = workspace.analyze(workspace.unit_for(path))
    shown, cold = _cold(root, path, text)
    warm_findings, cold_findings = _findings(warm), _findings(cold)
    same = warm_findings == cold_findings
    assert same, f"edit {step}: findings differ: {_first_difference(warm_findings, cold_findings)}"
    view = client.view()
    same = view == shown
    assert same, f"edit {step}: published diagnostics differ: {_published_difference(view, shown)}"
    return any(f.severity == "error" for f in warm.findings)


def _block(text: str, head: str) -> tuple[int, int]:
    """The offsets of the block that starts with the line `head` (its closing line included)."""
    start = text.index(f"\n{head} {{\n") + 1
    return start, text.index("\n}\n", start) + 3


def _structural_edits(original: str) -> list[tuple[str, str, bool]]:
    """Edits that change the schema's shape rather than one line of a model, each from the
    original text or the edit before: (what it does, the new text, whether it is an error)."""
    edits: list[tuple[str, str, bool]] = []
    attendee, booking = _block(original, "model Attendee"), _block(original, "model Booking")
    # from the middle of Attendee to the middle of Booking: two models become one broken one
    cut_from = original.index("\n", attendee[0]) + 5
    cut_to = original.index("\n", original.index("\n", booking[0]) + 1) + 5
    edits.append(("across two models", original[:cut_from] + original[cut_to:], True))
    edits.append(("undone", original, False))
    # a model others refer to goes: the relations to it break
    edits.append(("model removed", original[: attendee[0]] + original[attendee[1] :], True))
    # a new model with a relation to Booking, and Booking's side of it
    related = original + (
        "\nmodel ProbeRel {\n  id Int @id\n  bookingId Int\n"
        "  booking Booking @relation(fields: [bookingId], references: [id])\n}\n"
    )
    body = related.index("\n", booking[0]) + 1
    related = related[:body] + "  probes ProbeRel[]\n" + related[body:]
    edits.append(("model and relation added", related, False))
    # one side of the relation goes: the other names no opposite field
    edits.append(("relation side removed", related.replace("  probes ProbeRel[]\n", ""), True))
    # an enum added and used in a model
    body = original.index("\n", attendee[0]) + 1
    enum = original[:body] + "  probeKind ProbeKind?\n" + original[body:]
    enum += "\nenum ProbeKind {\n  ONE\n  TWO\n}\n"
    edits.append(("enum added and used", enum, False))
    # an enum in use removed: its fields name no type
    status = _block(enum, "enum BookingStatus")
    edits.append(("enum removed", enum[: status[0]] + enum[status[1] :], True))
    edits.append(("mended", original, False))
    return edits


@pytest.mark.corpus
def test_structural_edits_in_calcom_publish_what_a_new_workspace_publishes(corpus_dir):
    """Edits across models, models, relations and enums added and removed, errors made and
    mended: the incremental result equals a new workspace's after each."""
    schema = corpus_dir / "calcom" / "packages" / "prisma" / "schema.prisma"
    root, path = str(schema.parent), str(schema)
    original = schema.read_text(encoding="utf-8")
    workspace = Workspace([root])
    client = _Client()
    publisher = DiagnosticsPublisher(workspace, client.receive)
    workspace.open(path, original, 1, "prisma")
    publisher.refresh([path])
    for step, (what, text, error) in enumerate(_structural_edits(original), start=1):
        has_error = _type_and_compare(workspace, publisher, client, root, path, text, step)
        assert has_error == error, f"edit {step} ({what}): an error expected: {error}"
