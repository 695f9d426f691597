"""What the evaluator computes from known values (migrations compute their names with these),
and the functions a reader can walk into (`function_named`, namespaces, `node_at`)."""

from __future__ import annotations

from schemasense.server.sources.typescript import read_module
from schemasense.server.sources.typescript.values import Array, Bool, Num, Str, Unknown

TEXT = """const T = { users: ["aGuid", "b"], posts: [] } as const;
const entries = Object.entries(T);
const keys = Object.keys(T);
const renamed = "profileGuid".replace("Guid", "Id");
const joined = ["a", "b"].join(", ");
const same = "x" === "x";
const differ = 1 !== 1;
const picked = "users" === "users" ? "key" : "name";
const unknown = flag ? "key" : "name";
const minutes = 60 * 1000;
export namespace Utils {
  export function getDialect(q) { return q.options.dialect; }
}
export const helper = async (queryInterface, table) => { await queryInterface.dropTable(table); };
"""


def test_standard_library_calls_on_known_values() -> None:
    module = read_module("/m.ts", TEXT)
    entries = module.constant("entries")
    assert isinstance(entries, Array)
    pairs = [(k.value, [i.value for i in v.items]) for k, v in (e.items for e in entries.items)]
    assert pairs == [("users", ["aGuid", "b"]), ("posts", [])]
    keys = module.constant("keys")
    assert isinstance(keys, Array) and [k.value for k in keys.items] == ["users", "posts"]
    for name, expected in (("renamed", "profileId"), ("joined", "a, b"), ("picked", "key")):
        value = module.constant(name)
        assert isinstance(value, Str) and value.value == expected, name
    same, differ = module.constant("same"), module.constant("differ")
    assert isinstance(same, Bool) and same.value is True
    assert isinstance(differ, Bool) and differ.value is False
    assert isinstance(module.constant("unknown"), Unknown)
    minutes = module.constant("minutes")
    assert isinstance(minutes, Num) and minutes.value == 60000


def test_functions_of_the_file_and_of_its_namespaces() -> None:
    module = read_module("/m.ts", TEXT)
    assert module.namespaces == ["Utils"]
    inside = module.function_named("getDialect", "Utils")
    assert inside is not None and inside.params == ("q",)
    assert module.function_named("getDialect") is None
    helper = module.function_named("helper")
    assert helper is not None and helper.params == ("queryInterface", "table")
    body = module.node_at(helper.body_start, helper.body_end)
    assert body is not None and body.type == "statement_block"
    bound = module.with_bindings({"table": Str(0, 0, "users", ())})
    (call,) = bound.calls(within=(helper.body_start, helper.body_end))
    assert call.path == ("queryInterface", "dropTable")
    assert isinstance(call.args[0], Str) and call.args[0].value == "users"
