"""Which saves matter, and the file-system watch that reports them as they happen.

watchfiles reports saves as file-system events (no polling); editors' swap and backup files are
left out, and so are the output and cache folders. A batch of saves becomes one call to the
preview's `saved`, which asks for one rebuild.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from watchfiles import Change, watch

from healthsite.build.receipt import CACHE_DIR
from healthsite.config import CONFIG_FILE, PREVIEW_DIR, SiteConfig
from healthsite.i18n.catalogs import LOCALES_DIR
from healthsite.serve.terminal import Terminal

#: watchfiles yields a batch once no event has arrived for STEP_MS (one save is one batch), and
#: at the latest DEBOUNCE_MS after its first event (a checkout of many files is a few batches).
STEP_MS = 30
DEBOUNCE_MS = 300
#: How long a watch waits for events before it yields an empty batch; the first batch, empty
#: or not, says the watch is in place.
READY_MS = 200
#: Editors' swap, backup, lock and test files: saving never changes the site through them.
#: (vim: .x.swp, x~, 4913; emacs: .#x, #x#; JetBrains: x___jb_tmp___; gedit, kate, Chrome.)
EDITOR_TEMP = re.compile(
    r"\.sw[a-px]$|~$|^\.#|^#.*#$|^4913$|___jb_\w+___$|^\.goutputstream-|\.kate-swp$|\.crswap$"
    r"|^\.DS_Store$"
)
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})


class Saves(Protocol):
    """The preview, as the watch sees it."""

    loop: IOLoop | None
    terminal: Terminal

    def saved(self, paths: Iterable[str] | None) -> None: ...


class Sources:
    """What a save can change: the site's source folders and site.yaml, minus editors' litter."""

    def __init__(self, root: Path, folders: Sequence[Path], skipped: Sequence[Path]) -> None:
        self.root = root
        self.folders = tuple(folders)
        self.config_file = root / CONFIG_FILE
        self.skipped = tuple(skipped)

    @classmethod
    def of(cls, config: SiteConfig) -> Sources:
        root = config.root
        folders = (config.content_dir, config.templates_dir, config.static_dir, root / LOCALES_DIR)
        outputs = (root / config.settings.output_dir, root / PREVIEW_DIR, root / CACHE_DIR)
        return cls(root, [*dict.fromkeys(folders)], outputs)

    def relevant(self, change: Change, path: str) -> bool:
        """A file event under a source folder that is not an editor's temporary file."""
        where = Path(path)
        if where == self.config_file:
            return True
        if any(where.is_relative_to(skipped) for skipped in self.skipped):
            return False
        for folder in self.folders:
            if where.is_relative_to(folder):
                parts = where.relative_to(folder).parts
                if not parts:
                    return True
                return not (
                    EDITOR_TEMP.search(parts[-1]) or any(p in SKIPPED_FOLDERS for p in parts)
                )
        return False

    def at_root(self, change: Change, path: str) -> bool:
        """site.yaml saved, or a source folder made or removed (e.g. the first `locales/`)."""
        where = Path(path)
        return where == self.config_file or (where in self.folders and change != Change.modified)


class EventWatcher(Watcher):
    """livereload's watcher slot, filled by file-system events instead of its 800 ms polling.

    livereload polls `examine()` only when `start()` returns False; here it returns True and two
    threads ask for rebuilds: one watches the source folders, one the site folder itself (not
    recursively) for site.yaml, which editors often replace rather than rewrite, and for source
    folders that appear or go, after which the folder watch starts again.
    """

    def __init__(self, sources: Sources, preview: Saves) -> None:
        super().__init__()
        self.sources = sources
        self.preview = preview
        self.terminal = preview.terminal
        self._stop = threading.Event()
        self._regroup = threading.Event()
        self._threads: list[tuple[threading.Thread, threading.Event]] = []

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by livereload in the loop's thread before it serves: start watching.

        It returns once both watches are in place, so a save made as soon as the first page
        is served is seen.
        """
        self.preview.loop = IOLoop.current()
        for target in (self._watch_folders, self._watch_root):
            ready = threading.Event()
            thread = threading.Thread(target=target, args=(ready,), name=target.__name__)
            thread.daemon = True
            thread.start()
            self._threads.append((thread, ready))
        for _, ready in self._threads:
            ready.wait(timeout=5)
        return True

    def examine(self) -> tuple[None, None]:
        return None, None  # nothing to poll: changes arrive through start()'s threads

    def stop(self) -> None:
        self._stop.set()
        for thread, _ in self._threads:
            thread.join(timeout=5)

    def _watch_folders(self, ready: threading.Event) -> None:
        until = _Either(self._stop, self._regroup)
        polling = False
        while not self._stop.is_set():
            self._regroup.clear()
            folders = [folder for folder in self.sources.folders if folder.is_dir()]
            try:
                if not folders:
                    ready.set()
                    while not until.is_set():
                        self._stop.wait(0.2)
                    continue
                for changes in self._events(folders, self.sources.relevant, until, ready, polling):
                    self.preview.saved(path for _, path in changes)
            except FileNotFoundError:  # a folder went between is_dir() and the watch
                self._stop.wait(0.1)
            except OSError as exc:  # e.g. the system's limit of watched folders
                if polling:
                    self.terminal.unexpected("watching files", exc)
                    return
                self.terminal.say(f"note: watching files by polling instead ({exc})")
                polling = True
            except Exception as exc:
                self.terminal.unexpected("watching files", exc)
                return

    def _watch_root(self, ready: threading.Event) -> None:
        try:
            for changes in self._events(
                [self.sources.root], self.sources.at_root, self._stop, ready, recursive=False
            ):
                if any(Path(path) in self.sources.folders for _, path in changes):
                    self._regroup.set()
                self.preview.saved(None)
        except Exception as exc:
            self.terminal.unexpected(f"watching {CONFIG_FILE}", exc)

    @staticmethod
    def _events(
        paths: Sequence[Path],
        relevant: Callable[[Change, str], bool],
        until: threading.Event | _Either,
        ready: threading.Event,
        polling: bool = False,
        *,
        recursive: bool = True,
    ) -> Iterator[set[tuple[Change, str]]]:
        """Batches of relevant changes; `ready` is set once the watch is in place."""
        for changes in watch(
            *paths,
            watch_filter=relevant,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=until,
            rust_timeout=READY_MS,
            yield_on_timeout=True,  # an empty batch: watchfiles yields only once it watches
            raise_interrupt=False,  # Ctrl+C belongs to the main thread's loop
            recursive=recursive,
            force_polling=polling or None,
        ):
            ready.set()
            if changes:
                yield changes


class _Either:
    """Set when either event is: stops a folder watch on shutdown or to watch a new folder set."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self._pair = (first, second)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._pair)
