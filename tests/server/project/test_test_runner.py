"""`project.analysis.test_runner`: which runner a project uses, from its own files (the test
generator and the feature workflow both ask it)."""

from __future__ import annotations

import json

import pytest
from schemasense.server.project.analysis import test_runner as runner_of


@pytest.mark.parametrize(
    ("package", "files", "expected"),
    [
        ({"devDependencies": {"vitest": "^4.1.12"}}, (), "vitest"),
        ({"devDependencies": {"vitest": "^4.1.12", "jest": "^30.0.0"}}, (), "vitest"),
        ({"devDependencies": {"jest": "^30.0.0"}}, (), "jest"),
        ({"scripts": {"test": "jest"}}, (), "jest"),
        (
            {"scripts": {"test:e2e": "node_modules/.bin/jest --config ./test/jest-e2e.json"}},
            (),
            "jest",
        ),
        ({"jest": {"testEnvironment": "node"}}, (), "jest"),
        ({}, ("jest.config.ts",), "jest"),
        ({"scripts": {"test": "mocha", "lint": "eslint . --rule jester"}}, (), None),
        ({}, (), None),
    ],
)
def test_runner_of_a_project(tmp_path, package, files, expected):
    (tmp_path / "package.json").write_text(json.dumps(package))
    for name in files:
        (tmp_path / name).write_text("export default {};\n")
    assert runner_of(str(tmp_path)) == expected
