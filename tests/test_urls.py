"""Target URLs: an empty URL is an error (never the embedded default); passwords are masked exactly."""

from __future__ import annotations

import pytest

from healthschema.errors import ConfigError
from healthschema.pg.connect import mask_url
from healthschema.pg.server import resolve_database_url
from tests.helpers import cli


@pytest.mark.parametrize(("text", "masked"), [
    ("URL 'postgresql://u:secret@h:5432/x': bad", "URL 'postgresql://u:***@h:5432/x': bad"),
    ("url 'postgresql://h/x?password=secret': bad", "url 'postgresql://h/x?password=***': bad"),
    ("dsn 'host=h password=secret': bad", "dsn 'host=h password=***': bad"),
    ("dsn \"host=h password='se cret'\" x", "dsn \"host=h password=***\" x"),
    ("postgresql://u:@h/x", "postgresql://u:@h/x"),
])
def test_masking_keeps_the_text_around_the_password(text: str, masked: str) -> None:
    assert mask_url(text) == masked


def test_empty_url_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="empty"):
        resolve_database_url("")
    with pytest.raises(ConfigError, match="empty"):
        resolve_database_url("   ")
    monkeypatch.setenv("DATABASE_URL", "")
    with pytest.raises(ConfigError, match="DATABASE_URL is set but empty"):
        resolve_database_url(None)


@pytest.mark.parametrize("command", ["verify", "status", "preflight"])
def test_empty_url_never_targets_the_embedded_default(command: str) -> None:
    flag = cli(command, "--database-url", "")
    assert flag.exit_code == 2 and "the database URL is empty" in flag.output, flag.output
    env = cli(command, env={"DATABASE_URL": ""})
    assert env.exit_code == 2 and "DATABASE_URL is set but empty" in env.output, env.output
