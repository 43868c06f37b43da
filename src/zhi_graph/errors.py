"""The one family of errors zhi-graph raises; the CLI maps them to exit codes."""

from __future__ import annotations

from pathlib import Path

# Not an error: `zhi-graph build` wrote the graph of every document it could
# read, and skipped files it could not (each named on stderr).
SKIPPED_FILES_EXIT_CODE = 7


class ZhiGraphError(Exception):
    """Base class: the message names the file involved and how to fix the problem."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{path}: {message}" if path is not None else message)


class InputError(ZhiGraphError):
    """An input file or folder cannot be read as a document."""

    exit_code = 2


class ResourceError(ZhiGraphError):
    """A data or ontology file shipped with zhi-graph is missing or malformed."""

    exit_code = 3


class OutputError(ZhiGraphError):
    """The output location cannot be written."""

    exit_code = 4


class ValidationError(ZhiGraphError):
    """A graph does not conform to the SHACL shapes."""

    exit_code = 5


class NetworkError(ZhiGraphError):
    """A port cannot be bound, or a remote server refused or failed a request."""

    exit_code = 6
