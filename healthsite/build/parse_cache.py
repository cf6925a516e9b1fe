"""The parse stage, with memory: a file's parse result is reused while its bytes are the same.

Results are kept by a digest of the file's bytes; a file is read again unless its size and time
are those recorded when it was last read (the stamp of this build), or, with no stamp (a
watcher's hint instead), unless the hint says it was edited. Many files are parsed on every
core, with the same results as in one process.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from healthsite.build.digests import digest_of, document_digests
from healthsite.build.progress import Progress, Unwatched
from healthsite.build.receipt import RACY_SECONDS, Stamp
from healthsite.build.workers import iter_in_order
from healthsite.content.documents import Document, TranslationDoc, parse
from healthsite.content.sources import SourceFile
from healthsite.diagnostics import Diagnostic
from healthsite.inputs import Refused

ParseResult = tuple[Document | TranslationDoc | None, list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class ParseEntry:
    """A parse result, with the digests of the document's front matter and body."""

    result: ParseResult
    digests: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class ParseCache:
    """Parse results by digest of a file's bytes, and each file's size and time when read."""

    entries: dict[str, ParseEntry] = field(default_factory=dict)
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    """Absolute path → (size, mtime in ns, digest of its bytes), for files read long enough
    after their last change to trust the time (see `RACY_SECONDS`)."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The parse stage's result: every document, and what the later stages need to know."""

    documents: list[Document]
    translations: list[TranslationDoc]
    broken: frozenset[str]
    """Slugs of files that failed to parse (already reported)."""
    digests: dict[int, tuple[str, str]]
    """id(document) → (front matter, body) digests, made once per parse."""
    problems: list[Diagnostic]
    problems_of: dict[str, list[Diagnostic]]
    """Each document's own problems, by source path: what the quick way takes back on an edit."""
    cache: ParseCache
    """The cache after this parse: gone and changed files forgotten."""


def parse_sources(
    sources: list[SourceFile],
    cache: ParseCache,
    inputs: Stamp | None,
    edited: AbstractSet[Path],
    progress: Progress | None = None,
) -> Parsed:
    """Parse every source, reusing what `cache` has for bytes already parsed."""
    entries, cache = _entries(sources, cache, inputs, edited, forget=True, progress=progress)
    documents, translations, broken, problems = [], [], set(), []
    for source, entry in zip(sources, entries, strict=True):
        document, found = entry.result
        problems += found
        if document is None:
            broken.add(source.slug)
        elif isinstance(document, TranslationDoc):
            translations.append(document)
        else:
            documents.append(document)
    return Parsed(
        documents,
        translations,
        frozenset(broken),
        {id(e.result[0]): e.digests for e in entries if e.digests is not None},
        problems,
        {
            e.result[0].src_path: e.result[1]
            for e in entries
            if e.result[1] and e.result[0] is not None
        },
        cache,
    )


def parse_edited(source: SourceFile, cache: ParseCache) -> tuple[ParseEntry, ParseCache]:
    """One file a watcher says was edited, read again; the rest of the cache is kept."""
    [entry], cache = _entries([source], cache, None, {source.abs_path}, forget=False)
    return entry, cache


def _entries(
    sources: list[SourceFile],
    cache: ParseCache,
    inputs: Stamp | None,
    edited: AbstractSet[Path],
    *,
    forget: bool,
    progress: Progress | None = None,
) -> tuple[list[ParseEntry], ParseCache]:
    """Each source's entry, and the cache with the new ones (and, with `forget`, without the
    entries and times of files that are gone or changed)."""
    stats = dict(cache.stats)
    now = time.time()
    keys = [_key(source, stats, inputs, edited, now) for source in sources]
    entries = dict(cache.entries)
    missing = [(k, s) for k, s in zip(keys, sources, strict=True) if k not in entries]
    progress = progress or Unwatched()
    progress.start("Reading pages", len(missing))
    for (key, _source), result in zip(missing, parse_all([s for _, s in missing]), strict=True):
        document = result[0]
        digests = document_digests(document) if isinstance(document, Document) else None
        entries[key] = ParseEntry(result, digests)
        progress.advance()
    if forget and len(entries) > len(keys):
        used = set(keys)
        entries = {key: entry for key, entry in entries.items() if key in used}
    if forget and len(stats) > len(sources):
        live = {str(s.abs_path) for s in sources}
        stats = {path: stat for path, stat in stats.items() if path in live}
    return [entries[key] for key in keys], ParseCache(entries, stats)


def _key(
    source: SourceFile,
    stats: dict[str, tuple[int, int, str]],
    inputs: Stamp | None,
    edited: AbstractSet[Path],
    now: float,
) -> str:
    """The digest of a source's bytes: remembered when its size and time (or the hint) say it
    is unchanged, else read now (and its size and time noted in `stats`)."""
    path = str(source.abs_path)
    known = stats.get(path)
    info = None if inputs is None else inputs.files.get(path)
    if known is not None and (
        (inputs is None and source.abs_path not in edited)
        or (info is not None and known[:2] == info)
    ):
        return known[2]
    try:
        data = source.read_bytes()
        if info is None:
            found = source.abs_path.stat()
            info = (found.st_size, found.st_mtime_ns)
    except Refused as refused:  # what the parse will report is part of the key
        data = repr(refused.diagnostic).encode()
    except OSError:
        data = b""
    key = digest_of(source, data)
    if info is not None and now - info[1] / 1e9 > RACY_SECONDS:
        stats[path] = (*info, key)
    else:
        stats.pop(path, None)
    return key


def parse_all(sources: Iterable[SourceFile]) -> Iterator[ParseResult]:
    """Parse files in order, each result as it comes; many files are spread over every core,
    with the same results."""
    todo = list(sources)
    return iter_in_order(lambda index: parse(todo[index]), len(todo))
