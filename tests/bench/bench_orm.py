"""Benchmark: a keystroke in a TypeORM entity and in a Sequelize model, beside Prisma's language
server on cal.com, in one run (there is no TypeORM or Sequelize language server to compare with).

    .venv/bin/python tests/bench/bench_orm.py [--edits 20]

Driven like `bench_lsp.py` (the same client and measurements): medusa-v1's `models/cart.ts`
(86 entity files, 82 migration classes) and opencollective-api's `models/Collective.ts` (54 model
files, 321 migrations), each opened in its project's root; cal.com's schema for Prisma's server.
The issues' goal: a keystroke in an entity or a model below half Prisma's keystroke on cal.com.
Not collected by pytest; no timed assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lsp import CALCOM, PRISMA_LS, measure

CORPUS = Path(os.environ.get("SCHEMASENSE_CORPUS") or CALCOM.parents[3])
CALCOM = CORPUS / "calcom" / "packages" / "prisma" / "schema.prisma"
MEDUSA = CORPUS / "typeorm" / "medusa-v1" / "packages" / "medusa"
OPENCOLLECTIVE = CORPUS / "sequelize" / "opencollective-api"

CASES = [
    ("TypeORM entity (medusa cart.ts)", MEDUSA / "src" / "models" / "cart.ts", MEDUSA),
    (
        "Sequelize model (opencollective Collective.ts)",
        OPENCOLLECTIVE / "server" / "models" / "Collective.ts",
        OPENCOLLECTIVE,
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    ours = [sys.executable, "-m", "schemasense.server", "serve"]
    results = []
    for name, path, root in CASES:
        if not path.is_file():
            print(f"not in the corpus: {path}", file=sys.stderr)
            continue
        results.append(
            asyncio.run(
                measure(
                    f"schemasense: {name}",
                    ours,
                    path,
                    args.edits,
                    language_id="typescript",
                    root=root,
                )
            )
        )
    if PRISMA_LS.is_file():
        results.append(
            asyncio.run(
                measure(
                    "prisma-language-server (cal.com)",
                    ["node", str(PRISMA_LS), "--stdio"],
                    CALCOM,
                    args.edits,
                )
            )
        )
    keys = ["initialize_ms", "first_diagnostics_ms", "edit_median_ms", "edit_max_ms", "peak_rss_mb"]
    print(f"{args.edits} edits each")
    print(f"{'':52}" + "".join(f"{k:>22}" for k in keys))
    for r in results:
        print(f"{r['name'][:52]:52}" + "".join(f"{r[k]:>22.1f}" for k in keys))
    if PRISMA_LS.is_file() and len(results) > 1:
        prisma = results[-1]
        for r in results[:-1]:
            ratio = r["edit_median_ms"] / prisma["edit_median_ms"]
            print(f"keystroke ratio, {r['name']} / Prisma on cal.com: {ratio:.2f} (goal < 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
