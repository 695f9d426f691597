"""Editor tests: each test's outcome is kept on its item, so fixtures can save a screenshot
(VS Code) or a log when a test failed."""

from __future__ import annotations

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
