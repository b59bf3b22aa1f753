"""Reading the project's text files: UTF-8 or a clear error naming the file (never a traceback)."""

from __future__ import annotations

from pathlib import Path

from healthschema.errors import ConfigError


def read_utf8(path: Path) -> str:
    """The text of ``path``.

    :raises ConfigError: it is not UTF-8 (names the file and the byte), or cannot be read.
    """
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x})",
                          hint="save the file as UTF-8") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path} is a directory, not a file") from exc
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} does not exist") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
