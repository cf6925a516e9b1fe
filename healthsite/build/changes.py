"""The re-render decision: which outputs the last build made are still right, and which must be
made again.

What changed is worked out once per build (`changes_since`): which dependencies, templates and
languages now have other digests than the last build recorded. Then each output is checked in
constant time against what it read (`current_page`, `current_file`). An output is made again
when anything it read changed, when what it is changed (its job), when its language's global
digest changed, or when its file is gone from the output folder. An edited article body
re-renders that article and the pages that show its body, but not the lists that show its title.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthsite.build.digests import Values
from healthsite.build.manifest import Manifest, OutputRecord
from healthsite.render.recording import Dep


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the last build, and the current digests the next manifest starts from."""

    before: Manifest
    globals: dict[str, str]
    """Each language's global digest now."""
    dep_digests: dict[Dep, str]
    """The current digest of every dependency the last build recorded."""
    dirty: frozenset[Dep]
    """Those whose digest changed."""
    template_digests: dict[str, str]
    dirty_templates: frozenset[str]
    output_dir: Path

    def current_page(self, lang: str, dest: str, identity: Any) -> OutputRecord | None:
        """The last build's record of this page, if it is still right; else None."""
        old = self.before.outputs.get(dest)
        if (
            old is not None
            and self.before.globals.get(lang) == self.globals[lang]
            and old.identity == identity
            and self.dirty.isdisjoint(old.deps)
            and self.dirty_templates.isdisjoint(old.templates)
            and self._exists(dest)
        ):
            return old
        return None

    def current_file(self, dest: str, identity: Any) -> OutputRecord | None:
        """The last build's record of this site file, if it is still right; else None."""
        old = self.before.outputs.get(dest)
        if (
            old is not None
            and old.identity == identity
            and self.dirty.isdisjoint(old.deps)
            and self._exists(dest)
        ):
            return old
        return None

    def must_write(self, dest: str, made: OutputRecord) -> bool:
        """A site file made again is written only when its bytes changed (or it is gone)."""
        old = self.before.outputs.get(dest)
        return old is None or old.content != made.content or not self._exists(dest)

    def _exists(self, dest: str) -> bool:
        return os.path.isfile(os.path.join(self.output_dir, dest))


def changes_since(
    before: Manifest | None,
    values: Values,
    template_digest: Callable[[str], str],
    globals_now: dict[str, str],
    output_dir: Path,
) -> Changes:
    """Compare the last build's digests (none: everything is new) with the current ones."""
    before = before or Manifest()
    dep_digests = {dep: values.digest(dep) for dep in before.dep_digests}
    template_digests = {name: template_digest(name) for name in before.template_digests}
    return Changes(
        before,
        globals_now,
        dep_digests,
        frozenset(dep for dep, was in before.dep_digests.items() if dep_digests[dep] != was),
        template_digests,
        frozenset(
            name for name, was in before.template_digests.items() if template_digests[name] != was
        ),
        output_dir,
    )
