"""Only the package list lives here; everything else is in pyproject.toml.

`server/` and `codegen/` install as `schemasense.server` and `schemasense.codegen`
(`package-dir` in pyproject.toml). Their subpackages are found, not listed, so a new one always
lands in the wheel (tests/packaging checks it).
"""

from setuptools import find_packages, setup

PACKAGES = [
    f"schemasense.{name}"
    for name in find_packages(include=["server", "server.*", "codegen", "codegen.*"])
]

setup(packages=PACKAGES)
