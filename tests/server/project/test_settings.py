"""Settings: valid values kept, invalid ones replaced by defaults, with a message each."""

from __future__ import annotations

from schemasense.server.project.settings import Settings, parse_settings


def test_defaults_without_settings():
    assert parse_settings(None) == (Settings(), [])
    assert parse_settings({}) == (Settings(), [])


def test_with_or_without_the_section_key():
    expected = Settings(enable=False, debounce_ms=50, log_level="debug")
    raw = {"enable": False, "debounceMs": 50, "logLevel": "debug"}
    assert parse_settings(raw) == (expected, [])
    assert parse_settings({"schemasense": raw}) == (expected, [])


def test_invalid_values_fall_back_one_by_one():
    settings, problems = parse_settings({"enable": False, "debounceMs": -1, "typo": 1})
    assert settings == Settings(enable=False)
    assert len(problems) == 2
    assert any("debounceMs" in p and "using the default 0" in p for p in problems)
    assert any("unknown setting `typo`" in p for p in problems)


def test_not_an_object():
    settings, [problem] = parse_settings(["enable"])
    assert settings == Settings()
    assert "must be an object" in problem
