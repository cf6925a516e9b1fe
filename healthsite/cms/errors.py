"""What the editor's backend answers when it refuses a request: an HTTP status and words.

A file the site's input rule refuses (`healthsite.refusals`: a link out of the site, a named
pipe, a file too large or not UTF-8...) is answered with the same words the build prints,
naming the file, so the editor sees one explanation wherever the file is met.
"""

from __future__ import annotations

from healthsite.diagnostics import Diagnostic, printable


class BackendError(Exception):
    """A request the backend refuses: status and message go back to the CMS as `{"error"}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def refused(diagnostic: Diagnostic, status: int = 422) -> BackendError:
    """`content/exercises/x.md: is a named pipe, not an ordinary file; ... (delete it ...)`."""
    where = diagnostic.location.path
    text = f"{where}: {diagnostic.message}"
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return BackendError(status, printable(text))
