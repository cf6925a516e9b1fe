"""Pagefind's service mode, fed page by page from memory while the site is rendered.

`pagefind --service` is the indexer that Pagefind's own Node and Python wrappers drive: it
reads requests on its standard input and answers on its standard output, each a base64 JSON
message followed by a comma. Pages are added as HTML strings (`AddFile`) and the bundle is
written at the end (`WriteFiles`), so the cut-down pages never touch the disk, and Pagefind
parses each page on its own core while Python renders the next ones.

Why not the `pagefind` Python package: it is async only, and its reader sleeps 0.1 s before
each answer it reads (`PagefindService._wait_for_responses`), so adding 10,000 pages one by
one takes 1,000 s. Why not its Node package: a build must not need Node. What this module
speaks is the same protocol, synchronously, without threads (the render stage forks its
workers, which is safe only in a single-threaded process): answers are read when there are
some, without waiting, and all of them before the bundle counts as written.

What Pagefind 1.6's service allows, and what it does not (see docs/benchmarks.md):
- `AddFile` with the URL of a page already added replaces that page (its place in the index
  stays the same): a running service re-indexes one changed page without parsing the others;
- there is no request to remove a page: a page that is gone needs a new index;
- `WriteFiles` builds the whole index again (twice, in 1.6.0) and writes every file of the
  bundle: there is no incremental write, and a written bundle cannot be read back or extended
  (multisite search merges several bundles in the browser; it does not change one).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from healthsite.search.pagefind import (
    BUNDLE_FOLDER,
    SearchIndex,
    SearchIndexError,
    finish_bundle,
    indexed_pages,
    pagefind_environment,
    pagefind_executable,
    searchable,
)


class PagefindService:
    """One running `pagefind --service` holding one index."""

    def __init__(self, cwd: Path) -> None:
        executable = pagefind_executable()
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        """What Pagefind writes to its standard error: the reason, when it fails."""
        try:
            self._process = subprocess.Popen(
                [str(executable), "--service"],
                cwd=cwd,
                env=pagefind_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._said,
            )
        except OSError as exc:
            self._said.close()
            raise SearchIndexError(f"Pagefind could not be started ({executable}: {exc})") from exc
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin: IO[bytes] = self._process.stdin
        self._stdout_fd = self._process.stdout.fileno()
        self._pending = bytearray()
        self._next_id = 0
        self._waiting: dict[int, tuple[str, bool]] = {}
        """Requests not answered yet: message id → (what it was, whether its answer is kept)."""
        self._answers: dict[int, dict[str, Any]] = {}
        self._errors: list[str] = []
        self.pages = 0
        """Pages added so far."""
        try:
            reply = self._call({"type": "NewIndex", "config": {}}, "a new index")
        except SearchIndexError:
            self.close()
            raise
        self._index_id = int(reply["index_id"])

    # -- requests ------------------------------------------------------------------------------

    def add_page(self, path: str, html: str) -> None:
        """Index one page; `path` is where it is in the site (`articles/knee/index.html`),
        from which Pagefind makes its URL as its command line does."""
        self._send(
            {
                "type": "AddFile",
                "index_id": self._index_id,
                "file_path": path,
                "url": None,
                "file_contents": html,
            },
            path,
            keep=False,
        )
        self.pages += 1
        self._read(block=False)

    def write(self, bundle: Path) -> None:
        """Build the index and write the bundle to `bundle`, ready to publish
        (`finish_bundle`); raise `SearchIndexError` if any page or the bundle failed."""
        request = {
            "type": "WriteFiles",
            "index_id": self._index_id,
            "output_path": str(bundle.resolve()),
        }
        self._call(request, "writing the bundle")
        finish_bundle(bundle)

    def close(self) -> None:
        """Stop the service (it also stops by itself when this process ends)."""
        with contextlib.suppress(OSError):
            self._stdin.close()
        if self._process.poll() is None:
            self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._said.close()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol ----------------------------------------------------------------------------

    def _call(self, payload: dict[str, Any], what: str) -> dict[str, Any]:
        """Send a request and wait for its answer (and every answer before it)."""
        message_id = self._send(payload, what, keep=True)
        while message_id not in self._answers:
            self._read(block=True)
        answer = self._answers.pop(message_id)
        if self._errors:
            shown = "; ".join(self._errors[:3])
            more = f" (and {len(self._errors) - 3} more)" if len(self._errors) > 3 else ""
            raise SearchIndexError(f"Pagefind failed: {shown}{more}")
        return answer

    def _send(self, payload: dict[str, Any], what: str, *, keep: bool) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        self._waiting[self._next_id] = (what, keep)
        try:
            self._stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self._stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise SearchIndexError(self._gone()) from exc
        return self._next_id

    def _read(self, *, block: bool) -> None:
        """Take the answers that have come; with `block`, wait for at least one more byte."""
        os.set_blocking(self._stdout_fd, block)
        try:
            chunk = os.read(self._stdout_fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            raise SearchIndexError(self._gone())
        self._pending += chunk
        *messages, rest = self._pending.split(b",")
        self._pending = bytearray(rest)
        for message in messages:
            self._answer(json.loads(base64.b64decode(message)))

    def _answer(self, response: dict[str, Any]) -> None:
        message_id = int(response.get("message_id") or 0)  # 0: a message it could not read
        payload = response.get("payload") or {}
        what, keep = self._waiting.pop(message_id, ("", False))
        if payload.get("type") == "Error":
            self._errors.append(f"{what + ': ' if what else ''}{payload.get('message', '?')}")
        if keep:
            self._answers[message_id] = payload

    def _gone(self) -> str:
        """Why Pagefind is not answering: its exit status and its last words."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        self._said.seek(0)
        lines = self._said.read().decode("utf-8", "replace").splitlines()
        said = " ".join(line.strip() for line in lines if line.strip())[-300:] or "no message"
        return f"Pagefind failed (exit {self._process.returncode}): {said}"


def index_pages(folder: Path, pages: Iterable[tuple[str, str]]) -> SearchIndex:
    """Index `pages` ((path in the site, HTML), in the order given) into `folder/pagefind/`,
    each cut down to what should be found; no bundle when no page has anything to find."""
    start = time.perf_counter()
    with PagefindService(folder) as service:
        for path, html in pages:
            cut = searchable(html)
            if cut is not None:
                service.add_page(path, cut)
        if not service.pages:  # nothing to find yet: no index; the search page says so
            return SearchIndex(0, 0.0)
        service.write(folder / BUNDLE_FOLDER)
    return SearchIndex(indexed_pages(folder / BUNDLE_FOLDER), time.perf_counter() - start)
