"""The code's shape, checked so it cannot drift: layers, no import circles, small modules and
functions, no hidden module state, names that do not differ by a letter, and a test suite whose
files share helpers through `tests/helpers.py` only.

Read from the source with `ast` (imports inside `if TYPE_CHECKING:` are for type checkers only
and do not count); complexity is radon's, the tool the style guide names.
"""

from __future__ import annotations

import ast
import itertools
from functools import cache
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from tests.helpers import REPO

PACKAGE = REPO / "healthsite"
#: Lower layers never import higher ones: content ← media ← site ← render/search ← build ←
#: serve/cli. Packages in one layer may import each other, without a circle. `media` (what a
#: picture or video is, and what it becomes) reads documents and settings; the site model holds
#: its plan, so it sits between the two.
LAYERS = (
    (
        "healthsite",
        "healthsite.diagnostics",
        "healthsite.refusals",
        "healthsite.inputs",
        "healthsite.source_lines",
        "healthsite.today",
        "healthsite.theme",
    ),
    ("healthsite.content",),
    ("healthsite.config",),
    ("healthsite.media",),
    ("healthsite.site", "healthsite.i18n"),
    ("healthsite.render", "healthsite.search"),
    ("healthsite.build",),
    (
        "healthsite.serve",
        "healthsite.report",
        "healthsite.scaffold",
        "healthsite.deploy",
        "healthsite.cms",
        "healthsite.arguments",
        "healthsite.cli",
    ),
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 20  # radon grade C is 11-20
MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "local"}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def runtime_imports(name: str) -> set[str]:
    """The package's modules `name` imports when it runs (anywhere in it, lazily too)."""
    found: set[str] = set()
    skipped: set[int] = set()
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(inner) for inner in ast.walk(node)}
    for node in ast.walk(tree(name)):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {module for module in found if module in MODULES and module != name}


def layer(name: str) -> int:
    best = max(
        (
            prefix
            for layer in LAYERS
            for prefix in layer
            if name == prefix or name.startswith(f"{prefix}.")
        ),
        key=len,
    )
    return next(index for index, members in enumerate(LAYERS) if best in members)


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        assert layer(name) >= 0


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{name} (layer {layer(name)}) imports {other} (layer {layer(other)})"
        for name in MODULES
        for other in sorted(runtime_imports(name))
        if layer(other) > layer(name)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    graph = {name: runtime_imports(name) for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            pytest.fail("import circle: " + " → ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, (*path, name))
        done.add(name)

    for name in MODULES:
        visit(name, ())
    assert len(done) == len(MODULES)


def test_modules_are_small() -> None:
    lines = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in lines.items() if n > MAX_MODULE_LINES} == {}


def test_functions_are_short_and_simple() -> None:
    long, complex_ = [], []
    for name, path in MODULES.items():
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {length} lines")
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                complex_.append(f"{name}.{block.name}: complexity {block.complexity}")
    assert long == []
    assert complex_ == []


def test_module_state_is_constant_or_explained() -> None:
    """A module-level container is a constant (UPPER_CASE, never changed); anything else kept at
    module level (a memo, a thread's converter, a forked worker's task) says why beside it."""
    unexplained = []
    for name, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        body = tree(name).body
        for index, node in enumerate(body):
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            called = node.value.func if isinstance(node.value, ast.Call) else None
            mutable = isinstance(node.value, MUTABLE) or (
                called is not None and ast.unparse(called).split(".")[-1] in MUTABLE_CALLS
            )
            variable = ast.unparse(target)
            if not mutable or variable.lstrip("_").isupper() or variable.startswith("__"):
                continue
            commented = lines[node.lineno - 2].lstrip().startswith("#")
            following = body[index + 1] if index + 1 < len(body) else None
            documented = isinstance(following, ast.Expr) and isinstance(
                following.value, ast.Constant
            )
            if not (commented or documented):
                unexplained.append(f"{name}:{node.lineno}: {ast.unparse(target)}")
    assert unexplained == []


def test_no_two_module_names_differ_by_one_letter() -> None:
    stems = sorted({path.stem for path in MODULES.values() if path.stem != "__init__"})

    def one_edit_apart(a: str, b: str) -> bool:
        if abs(len(a) - len(b)) > 1:
            return False
        if len(a) == len(b):
            return sum(x != y for x, y in zip(a, b, strict=True)) == 1
        short, long = sorted((a, b), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))

    close = [(a, b) for a, b in itertools.combinations(stems, 2) if one_edit_apart(a, b)]
    assert close == []


def test_test_files_share_helpers_through_the_helpers_module_only() -> None:
    """Test files, and the scripts and benchmarks that drive the browser as the tests do."""
    allowed = {
        "tests.helpers",
        "tests.translators",  # a translation hook the build loads by its entry-point name
        "tests.schemaorg",  # the schema.org vocabulary checker, a tool of its own
        "tests.deploy",  # real web servers, for the deploy tests beside them
        "tests.photos",  # phone photos (EXIF, GPS) and videos made for the media tests and bench
    }
    wrong = []
    files = [p for folder in ("tests", "scripts", "bench") for p in (REPO / folder).rglob("*.py")]
    for path in sorted(files):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            known = module in allowed or module.rsplit(".", 1)[0] in allowed
            if module.startswith("tests") and not known:
                wrong.append(f"{path.relative_to(REPO)}: from {module} import ...")
    assert wrong == []
