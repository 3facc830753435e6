from __future__ import annotations

import logging

from bot.logs import RedactSecrets


def test_secrets_are_redacted_from_log_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "calling %s/bot%s/getMe", ("url", "123:SECRET"), None)
    assert RedactSecrets(["123:SECRET"]).filter(record)
    assert record.getMessage() == "calling url/bot***/getMe"


def test_records_without_secrets_are_untouched():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    RedactSecrets(["123:SECRET"]).filter(record)
    assert record.args == ("world",)
