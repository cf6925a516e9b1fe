"""How far a build is, for whoever shows it (the command line draws it on a terminal).

The stages that take long tell `Progress` what they are doing and how much of it is done: the
parse stage a file at a time, the render stage a page at a time, the index stage that it runs.
A build nobody watches gets `Unwatched`, which does nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, stage: str, total: int | None) -> None:
        """A stage begins: `total` things to do (None: not known in advance)."""

    def advance(self, done: int = 1) -> None:
        """`done` more of the current stage's things are done."""

    def finish(self) -> None:
        """The build is over (or failed): nothing more to show."""


class Unwatched:
    """Progress nobody shows."""

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass
