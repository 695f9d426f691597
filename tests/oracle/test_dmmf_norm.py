"""dmmf_norm over real DMMF: the shape facts the reader comparison relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.oracle.dmmf_norm import FIELD_KEYS, normalize_datamodel, normalize_default
from tests.oracle.prisma import run_oracle, strip_for_prisma7
from tests.oracle.update_expectations import FIXTURES


def test_normalize_default_drops_implied_versions() -> None:
    assert normalize_default({"name": "uuid", "args": [4]}) == {"name": "uuid", "args": []}
    assert normalize_default({"name": "uuid", "args": [7]}) == {"name": "uuid", "args": [7]}
    assert normalize_default({"name": "cuid", "args": [1]}) == {"name": "cuid", "args": []}
    assert normalize_default(["A", "B"]) == ["A", "B"]
    assert normalize_default("9007199254740993") == "9007199254740993"


def _datamodel(*names: str) -> list[dict]:
    paths = [FIXTURES / "valid" / f"{name}.prisma" for name in names]
    results = run_oracle([{p.name: p.read_text("utf-8")} for p in paths], ops=("datamodel",))
    return [normalize_datamodel(r.datamodel) for r in results]


@pytest.mark.oracle
def test_shape_on_fixtures() -> None:
    composite, m2n, views, ignored, defaults = _datamodel(
        "composite_id_referenced_by_relation",
        "implicit_many_to_many",
        "views",
        "ignored_fields_and_models",
        "postgresql_native_types_and_defaults",
    )
    team = composite["models"]["Team"]
    assert team["primaryKey"] == {"name": "teamKey", "fields": ["orgId", "slug"]}
    assert team["uniqueIndexes"] == [{"name": None, "fields": ["code", "region"]}]
    [team_id] = [i for i in composite["indexes"] if i["model"] == "Team" and i["type"] == "id"]
    assert team_id["dbName"] == "team_pk" and team_id["name"] == "teamKey"
    [member_id] = [i for i in composite["indexes"] if i["model"] == "Member" and i["type"] == "id"]
    assert member_id["dbName"] is None  # no default "Member_pkey" in DMMF
    team_field = composite["models"]["Member"]["fields"]["team"]
    assert set(team_field) == set(FIELD_KEYS)
    assert team_field["relationFromFields"] == ["teamOrg", "teamSlug"]

    assert set(m2n["models"]) == {"Post", "Tag", "Category"}  # no join tables
    assert m2n["models"]["Post"]["fields"]["tags"]["relationFromFields"] == []
    assert m2n["models"]["Category"]["fields"]["id"]["default"] == {"name": "uuid", "args": []}

    assert set(views["models"]) == {"User", "UserInfo", "Totals"}  # views are models
    assert set(ignored["models"]) == {"User"}  # @@ignore models and @ignore fields left out
    assert set(ignored["models"]["User"]["fields"]) == {"id"}

    thing = defaults["models"]["Thing"]["fields"]
    assert thing["id"]["nativeType"] == {"name": "Uuid", "args": []}
    assert thing["id"]["default"] == {"name": "uuid", "args": [7]}
    assert thing["big"]["default"] == "0"
    assert thing["price"]["default"] == 1.5
    assert thing["seq"]["isUnique"] is True  # alone in a @@unique


@pytest.mark.oracle
@pytest.mark.corpus
def test_corpus_normalizes(corpus_dir: Path) -> None:
    schemas: dict[str, dict[str, str]] = {}
    for path in sorted(corpus_dir.glob("**/*.prisma")):
        key = str(path.parent) if path.parent.name == "schema" else str(path)
        schemas.setdefault(key, {})[str(path)] = strip_for_prisma7(path.read_text("utf-8"))
    for result in run_oracle(list(schemas.values()), ops=("datamodel",)):
        normalized = normalize_datamodel(result.datamodel)
        assert normalized == json.loads(json.dumps(normalized))
        assert normalized["models"]
        for model in normalized["models"].values():
            assert list(model["fields"]) == model["fieldOrder"]
