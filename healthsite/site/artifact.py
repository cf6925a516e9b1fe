"""An output file of the site: where it goes and its bytes. Made by rendering, written by the
write stage; a value shared by every stage that makes files."""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True, slots=True)
class Artifact:
    """A finished output file, as bytes, with where it goes."""

    dest_path: str
    content: bytes
