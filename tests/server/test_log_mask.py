"""`render.MaskCredentials`: the server's log filter stars out URL passwords in a record's
message, its arguments and its traceback (robustness issue, item 7; the end-to-end test is
tests/lsp/test_log_credentials.py)."""

from __future__ import annotations

import io
import logging

from schemasense.server.render import MaskCredentials


def test_message_arguments_and_traceback_are_masked() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(MaskCredentials())
    logger = logging.getLogger("test_log_mask")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("sent %s", {"url": "mysql://root:hunter22@db/x"})
        try:
            raise ValueError("cannot reach postgresql://app:hunter22@db/app")
        except ValueError:
            logger.exception("failed on %r", "password=hunter22;host=db")
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert "hunter22" not in text
    assert "mysql://root:********@db/x" in text
    assert "postgresql://app:********@db/app" in text  # the traceback's last line
    assert "password=********;host=db" in text
