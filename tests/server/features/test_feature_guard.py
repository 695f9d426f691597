"""The guard: log every failure, tell the user once per distinct error, answer the default."""

from __future__ import annotations

import asyncio
import logging

from schemasense.server.features.guard import Guard


def _guard():
    shown: list[str] = []
    return Guard(shown.append), shown


def test_failures_are_shown_once_per_distinct_error(caplog):
    guard, shown = _guard()

    @guard("textDocument/hover", default=[])
    def handler(kind: str):
        if kind == "value":
            raise ValueError("bad value")
        raise KeyError(kind)

    with caplog.at_level(logging.ERROR, logger="schemasense.server"):
        assert handler("value") == []
        assert handler("value") == []
        assert handler("key") == []
    assert len(shown) == 2
    assert "textDocument/hover" in shown[0] and "ValueError: bad value" in shown[0]
    assert "KeyError" in shown[1]
    # Every failure is logged, with its stack.
    assert len([r for r in caplog.records if r.exc_info]) == 3


def test_async_handlers_stay_coroutines():
    guard, shown = _guard()

    @guard("initialized")
    async def handler():
        raise RuntimeError("boom")

    assert asyncio.iscoroutinefunction(handler)
    assert asyncio.run(handler()) is None
    assert len(shown) == 1


def test_success_passes_through_and_run_guards_callbacks():
    guard, shown = _guard()
    assert guard("x")(lambda a: a + 1)(1) == 2
    assert guard.run("timer", lambda: 1 / 0, default="fallback") == "fallback"
    assert len(shown) == 1 and "ZeroDivisionError" in shown[0]


def test_a_failing_report_does_not_escape():
    def report(message: str) -> None:
        raise OSError("pipe closed")

    guard = Guard(report)
    assert guard.run("x", lambda: 1 / 0) is None
