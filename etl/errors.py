"""Project exceptions. The CLI turns each into one clear line and an exit code."""

from __future__ import annotations

import json


def quoted(path: str) -> str:
    """A file name as printed in messages: in double quotes, control characters escaped, so a
    name holding a newline or a quote cannot forge another line of a log."""
    return json.dumps(str(path), ensure_ascii=False)


class NewsetlError(Exception):
    """Base class: a failure the user can act on, with a one-line message."""

    exit_code = 1


class InputFileError(NewsetlError):
    """A source file that cannot be loaded: names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{quoted(path)}: {reason}")
        self.path = path
        self.reason = reason


class OutputFileError(NewsetlError):
    """A file newsetl writes (the published SQLite file) could not be written; the old one is kept."""


class UsageError(NewsetlError):
    """Bad arguments or configuration."""

    exit_code = 2


class ProfileError(UsageError):
    """A genre profile (a paper's TOML file) that cannot be read: names the file and what is wrong."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"profile {path}: {reason}")
        self.path = path
        self.reason = reason


class DatabaseUnavailableError(NewsetlError):
    """The database cannot be reached or started."""

    exit_code = 2


class DatabaseConnectionLost(DatabaseUnavailableError):
    """The connection dropped during a run: the file being written was rolled back."""

    def __init__(self, message: str, report=None) -> None:
        super().__init__(message)
        self.report = report  # what the run did before the connection was lost
