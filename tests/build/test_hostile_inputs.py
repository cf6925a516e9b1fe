"""Hostile and broken input, as an attacker or a clumsy editor makes it, through the real CLI.

Every case is the valid fixture site with one thing done to it. Whatever the case, the build
must: finish within seconds, print no traceback and no raw OS text (`[Errno N]`), print only
`path:line: error[code]: message` diagnostics (with their source line and hint), publish nothing
from outside the site folder, and on failure leave the previous `site/` exactly as it was, with
no staging folder left behind. A case names the error codes it must report; a case with none
must build.

The cases run two at a time in one fixture, each in a process of its own forked from this one
(so a hang is killed at the time limit, not a stuck test run); each test then checks one
case's result.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from healthsite.cli import main
from tests.helpers import TODAY_EPOCH, VALID_SITE

SECRET = "TOPSECRET-7f3a9c"
#: Far above a normal build of the fixture site (under a second), far below "it hangs".
TIME_LIMIT = 30.0
DIAGNOSTIC = re.compile(r"^\S[^\n]*?: (error|warning)\[[a-z0-9-]+\]: \S")
SOURCE_LINE = re.compile(r"^ {0,4}\d+ \| ")
HINT = re.compile(r"^      = hint: ")
SUMMARY = re.compile(r"^Build failed: \d+ errors?, \d+ warnings?\. ")
PREVIOUS = "<!doctype html><title>previous good build</title>\n"

Setup = Callable[[Path, Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    codes: tuple[str, ...] = ()
    """Error codes the build must report; none: the build must succeed."""
    args: tuple[str, ...] = ()
    may_refuse: tuple[str, ...] = ()
    """For text that is slow only on a busy machine: refused with these codes is also safe."""


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _link(site: Path, rel: str, target: str | Path) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    path.symlink_to(target)


def _fifo(site: Path, rel: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _socket_file(site: Path, rel: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def _device(site: Path, rel: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _bom(site: Path, rel: str) -> None:
    path = site / rel
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _front_matter(site: Path, rel: str, extra: str) -> None:
    _edit(site, rel, "---\n", "---\n" + extra)


LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
DEEP_FLOW = "deep: " + "[" * 600 + "]" * 600 + "\n"
DEEPER_FLOW = "deep: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "deep:\n" + "".join("  " * i + "-\n" for i in range(1, 300))
ARTICLE = "content/articles/back-care.md"
EXERCISE = "content/exercises/bridge.md"
CLINIC = "content/data/clinic.yaml"
ES = "languages:\n  es: {}\n"
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _with_spanish(site: Path) -> None:
    _append(site, "site.yaml", ES)
    _write(site / "locales/es/LC_MESSAGES/messages.po", PO_HEADER)


def _markdown(body: str) -> Setup:
    return lambda site, out: _write(
        site / "content/pages/odd.md", f"---\ntitle: Odd\nsummary: Odd text.\n---\n{body}"
    )


CASES = [
    # -- one rule for every walk: nothing from outside, only regular files ------------------
    Case(
        "static-link-to-outside-file",
        lambda s, o: _link(s, "static/leak.txt", o / "secret.txt"),
        ("link-outside",),
    ),
    Case(
        "static-link-to-outside-folder", lambda s, o: _link(s, "static/etc", o), ("link-outside",)
    ),
    Case(
        "static-link-to-system-file",
        lambda s, o: _link(s, "static/passwd", "/etc/passwd"),
        ("link-outside",),
    ),
    Case(
        "content-link-to-outside-file",
        lambda s, o: _link(s, "content/articles/leak.md", o / "secret.md"),
        ("link-outside",),
    ),
    Case(
        "content-folder-link-to-outside",
        lambda s, o: _link(s, "content/pages", o),
        ("link-outside",),
    ),
    Case(
        "content-dir-is-link-to-outside",
        lambda s, o: (
            shutil.copytree(s / "content", o / "content"),
            shutil.rmtree(s / "content"),
            _link(s, "content", o / "content"),
        ),
        ("link-outside",),
    ),
    Case(
        "template-link-to-outside",
        lambda s, o: _link(s, "templates/page.html", o / "secret.html"),
        ("link-outside",),
    ),
    Case(
        "template-folder-link-to-outside",
        lambda s, o: _link(s, "templates/partials", o),
        ("link-outside",),
    ),
    Case(
        "catalog-link-to-outside",
        lambda s, o: (
            _with_spanish(s),
            _link(s, "locales/es/LC_MESSAGES/messages.po", o / "secret.po"),
        ),
        ("link-outside",),
    ),
    Case(
        "clinic-link-to-outside",
        lambda s, o: _link(s, CLINIC, o / "clinic.yaml"),
        ("link-outside",),
    ),
    Case(
        "site-yaml-link-to-outside",
        lambda s, o: _link(s, "site.yaml", o / "site.yaml"),
        ("link-outside",),
    ),
    Case(
        "static-link-into-hidden-folder",
        lambda s, o: (
            _write(s / ".git/config", SECRET),
            _link(s, "static/config.txt", "../.git/config"),
        ),
        ("link-outside",),
    ),
    Case(
        "static-link-into-output", lambda s, o: _link(s, "static/old", "../site"), ("link-outside",)
    ),
    Case("static-link-loop", lambda s, o: _link(s, "static/loop", "."), ("link-loop",)),
    Case(
        "static-link-inside-is-followed", lambda s, o: _link(s, "static/img/same.svg", "pose.svg")
    ),
    Case(
        "static-dangling-link",
        lambda s, o: _link(s, "static/gone.svg", "nowhere.svg"),
        ("broken-link",),
    ),
    Case(
        "content-dangling-link",
        lambda s, o: _link(s, "content/articles/gone.md", "gone-too.md"),
        ("broken-link",),
    ),
    Case(
        "template-dangling-link",
        lambda s, o: _link(s, "templates/page.html", "nowhere.html"),
        ("broken-link",),
    ),
    Case("content-fifo", lambda s, o: _fifo(s, "content/articles/pipe.md"), ("not-a-file",)),
    Case("static-fifo", lambda s, o: _fifo(s, "static/pipe.css"), ("not-a-file",)),
    Case("template-fifo", lambda s, o: _fifo(s, "templates/page.html"), ("not-a-file",)),
    Case("clinic-fifo", lambda s, o: _fifo(s, CLINIC), ("not-a-file",)),
    Case("site-yaml-fifo", lambda s, o: _fifo(s, "site.yaml"), ("not-a-file",)),
    Case(
        "catalog-fifo",
        lambda s, o: (_with_spanish(s), _fifo(s, "locales/es/LC_MESSAGES/messages.po")),
        ("not-a-file",),
    ),
    Case("static-socket", lambda s, o: _socket_file(s, "static/live.sock"), ("not-a-file",)),
    Case("static-device", lambda s, o: _device(s, "static/zero.bin"), ("not-a-file",)),
    Case("content-device", lambda s, o: _device(s, "content/pages/zero.md"), ("not-a-file",)),
    # -- bounds: aliases, nesting, size, binary, NUL, long lines ----------------------------
    Case("alias-bomb-front-matter", lambda s, o: _front_matter(s, ARTICLE, LAUGHS), ("yaml",)),
    Case("alias-bomb-site-yaml", lambda s, o: _append(s, "site.yaml", LAUGHS), ("yaml",)),
    Case("alias-bomb-clinic", lambda s, o: _append(s, CLINIC, LAUGHS), ("yaml",)),
    Case(
        "one-alias-front-matter",
        lambda s, o: _front_matter(s, ARTICLE, "x: &x one\ny: *x\n"),
        ("yaml",),
    ),
    Case("deep-flow-front-matter", lambda s, o: _front_matter(s, ARTICLE, DEEP_FLOW), ("yaml",)),
    Case(
        "deeper-flow-front-matter", lambda s, o: _front_matter(s, ARTICLE, DEEPER_FLOW), ("yaml",)
    ),
    Case("deep-block-front-matter", lambda s, o: _front_matter(s, ARTICLE, DEEP_BLOCK), ("yaml",)),
    Case("deep-flow-site-yaml", lambda s, o: _append(s, "site.yaml", DEEP_FLOW), ("yaml",)),
    Case("deep-flow-clinic", lambda s, o: _append(s, CLINIC, DEEP_FLOW), ("yaml",)),
    Case(
        "huge-content-file",
        lambda s, o: _write(
            s / "content/pages/huge.md",
            "---\ntitle: Huge\nsummary: Big.\n---\n" + "word " * 2_000_000,
        ),
        ("too-large",),
    ),
    Case(
        "huge-static-file",
        lambda s, o: os.truncate(_touch(s / "static/video.mp4"), 2**40),
        ("too-large",),
    ),
    Case(
        "huge-site-yaml",
        lambda s, o: _append(s, "site.yaml", "#" * 3_000_000 + "\n"),
        ("too-large",),
    ),
    Case(
        "binary-template",
        lambda s, o: _write(s / "templates/page.html", os.urandom(4096)),
        ("encoding",),
    ),
    Case(
        "binary-content",
        lambda s, o: _write(s / "content/pages/bin.md", os.urandom(4096)),
        ("encoding",),
    ),
    Case(
        "latin1-clinic",
        lambda s, o: _write(
            s / CLINIC, (s / CLINIC).read_text().replace("Test Clinic", "Clínica").encode("latin-1")
        ),
        ("encoding",),
    ),
    Case("binary-site-yaml", lambda s, o: _write(s / "site.yaml", os.urandom(2048)), ("encoding",)),
    Case(
        "binary-catalog",
        lambda s, o: (
            _with_spanish(s),
            _write(s / "locales/es/LC_MESSAGES/messages.po", os.urandom(2048)),
        ),
        ("encoding",),
    ),
    Case(
        "utf16-content",
        lambda s, o: _write(
            s / "content/pages/wide.md",
            "---\ntitle: Wide\nsummary: Wide.\n---\nHi\n".encode("utf-16"),
        ),
        ("encoding",),
    ),
    Case("nul-in-body", _markdown("Before\x00after\n"), ("encoding",)),
    Case(
        "nul-in-front-matter",
        lambda s, o: _front_matter(s, ARTICLE, "note: a\x00b\n"),
        ("encoding",),
    ),
    Case(
        "nul-in-template",
        lambda s, o: _write(s / "templates/page.html", "{% extends 'base.html' %}\x00"),
        ("encoding",),
    ),
    Case("long-line-body", _markdown("a" * 900_000 + "\n")),
    Case("many-emphasis-markers", _markdown("*" * 200_000 + "\n")),
    Case("many-open-brackets", _markdown("[" * 200_000 + "\n"), ("markdown",)),
    Case("many-definitions", _markdown("term\n: meaning\n" * 3000), ("markdown",)),
    Case("many-backticks", _markdown("`" * 100_000 + "x\n")),
    Case("many-angle-brackets", _markdown("<" * 200_000 + "\n")),
    Case("deep-blockquote", _markdown(">" * 5000 + " deep\n"), ("markdown",)),
    Case(
        "deep-list", _markdown("".join("    " * i + "- item\n" for i in range(300))), ("markdown",)
    ),
    Case(
        "deep-callouts",
        _markdown("".join("    " * i + "!!! note\n" for i in range(100))),
        ("markdown",),
    ),
    Case(
        "deep-quote-lines",
        _markdown("".join(">" * i + " x\n" for i in range(1, 200))),
        ("markdown",),
    ),
    Case(
        "deep-html-nesting",
        _markdown("<div>" * 20000 + "x" + "</div>" * 20000 + "\n"),
        # a few seconds of sanitising: past the time limit when other work shares the cores
        may_refuse=("markdown",),
    ),
    Case(
        "long-slug-punctuation",
        lambda s, o: _write(
            s / ("content/pages/" + "-." * 100 + "a.md"), "---\ntitle: P\nsummary: P.\n---\nx\n"
        ),
    ),
    # -- encoding ------------------------------------------------------------------------------
    Case("bom-content", lambda s, o: _bom(s, ARTICLE)),
    Case("bom-clinic", lambda s, o: _bom(s, CLINIC)),
    Case("bom-site-yaml", lambda s, o: _bom(s, "site.yaml")),
    Case(
        "bom-template",
        lambda s, o: (
            _write(s / "templates/partials/_disclaimer.html", "<p>Our own words.</p>\n"),
            _bom(s, "templates/partials/_disclaimer.html"),
        ),
    ),
    Case(
        "bom-catalog",
        lambda s, o: (_with_spanish(s), _bom(s, "locales/es/LC_MESSAGES/messages.po")),
        args=(),
    ),
    Case(
        "crlf-everywhere",
        lambda s, o: [
            _write(p, p.read_bytes().replace(b"\n", b"\r\n"))
            for p in [s / ARTICLE, s / EXERCISE, s / CLINIC, s / "site.yaml"]
        ],
    ),
    # -- config values ----------------------------------------------------------------------
    Case(
        "base-url-markup",
        lambda s, o: _edit(
            s,
            "site.yaml",
            "https://clinic.test/",
            '"https://clinic.test/\\"><script>alert(1)</script>"',
        ),
        ("invalid",),
    ),
    Case(
        "base-url-javascript",
        lambda s, o: _edit(s, "site.yaml", "https://clinic.test/", "javascript:alert(1)"),
        ("invalid",),
    ),
    Case(
        "base-url-newline",
        lambda s, o: _edit(
            s, "site.yaml", "https://clinic.test/", '"https://clinic.test/\\nDisallow: /"'
        ),
        ("invalid",),
    ),
    Case(
        "base-url-credentials",
        lambda s, o: _edit(s, "site.yaml", "https://clinic.test/", "https://me:pw@clinic.test/"),
        ("invalid",),
    ),
    Case(
        "base-url-query",
        lambda s, o: _edit(s, "site.yaml", "https://clinic.test/", "https://clinic.test/?a=<b>"),
        ("invalid",),
    ),
    Case(
        "base-url-bad-host",
        lambda s, o: _edit(s, "site.yaml", "https://clinic.test/", "https://clinic test/"),
        ("invalid",),
    ),
    Case(
        "form-endpoint-policy-injection",
        lambda s, o: _append(
            s,
            CLINIC,
            "form:\n  enabled: true\n  endpoint: \"https://forms.test;report-uri:'https://evil.test'\"\n",
        ),
        ("invalid",),
    ),
    # -- all errors at once ----------------------------------------------------------------
    Case(
        "config-content-and-clinic-errors",
        lambda s, o: (
            _edit(s, "site.yaml", "language: en", "language: english"),
            _edit(s, EXERCISE, "category: strengthening", "category: strong"),
            _edit(s, CLINIC, "timezone: America/Los_Angeles", "timezone: Mars/Olympus"),
        ),
        ("invalid", "enum", "timezone"),
    ),
    Case(
        "malformed-config-and-content-errors",
        lambda s, o: (
            _append(s, "site.yaml", "title: [unclosed\n"),
            _edit(s, EXERCISE, "category: strengthening", "category: strong"),
        ),
        ("yaml", "enum"),
    ),
    Case(
        "missing-base-url-and-content-errors",
        lambda s, o: (
            _edit(s, "site.yaml", "base_url: https://clinic.test/\n", ""),
            _edit(s, EXERCISE, "reps: 5", "reps: five"),
        ),
        ("missing-field", "type"),
    ),
    # -- names: traversal, collisions, normalisation ------------------------------------------
    Case(
        "slug-traversal", lambda s, o: _front_matter(s, ARTICLE, "slug: ../../etc\n"), ("invalid",)
    ),
    Case(
        "image-traversal",
        lambda s, o: _edit(s, EXERCISE, "src: img/pose.svg", "src: ../../outside/secret.txt"),
        ("missing-file",),
    ),
    Case(
        "body-image-traversal",
        _markdown("![secret](../../outside/secret.txt)\n"),
        ("missing-file",),
    ),
    Case("body-image-absolute", _markdown("![passwd](/etc/passwd)\n"), ("missing-file",)),
    Case(
        "case-collision-content",
        lambda s, o: _write(s / "content/exercises/Bridge.md", (s / EXERCISE).read_text()),
        ("duplicate-slug",),
    ),
    Case(
        "unicode-nfc-nfd-collision",
        lambda s, o: (
            _write(s / "content/pages/caf\u00e9.md", "---\ntitle: A\nsummary: A.\n---\nx\n"),
            _write(s / "content/pages/cafe\u0301.md", "---\ntitle: B\nsummary: B.\n---\nx\n"),
        ),
        ("duplicate-slug",),
    ),
    Case(
        "case-collision-static",
        lambda s, o: shutil.copy(s / "static/img/pose.svg", s / "static/img/Pose.svg"),
    ),
    Case(
        "control-characters-in-stray-name",
        lambda s, o: _write(s / "content/pages/notes\nerror[fake]: \x1b[31mred.txt", "x"),
    ),
    Case(
        "control-characters-in-name",
        lambda s, o: _write(
            s / "content/pages/bad\nname\x1b[31m.md", "---\ntitle: T\nsummary: S.\n---\nx\n"
        ),
    ),
    Case(
        "template-name-traversal",
        lambda s, o: _write(s / "templates/page.html", "{% include '../../outside/secret.html' %}"),
        ("template",),
    ),
    Case(
        "template-absolute-include",
        lambda s, o: _write(s / "templates/page.html", "{% include '/etc/passwd' %}"),
        ("template",),
    ),
]


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return path


@dataclass
class Outcome:
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    site: Path
    previous: dict[str, bytes]


def _prepare(case: Case, base: Path) -> Path:
    outside = base / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.html").write_text(f"<p>{SECRET}</p>")
    (outside / "secret.po").write_text(PO_HEADER + f'msgid "Home"\nmsgstr "{SECRET}"\n')
    article = (VALID_SITE / ARTICLE).read_text().replace("Caring for your back", SECRET)
    (outside / "secret.md").write_text(article)
    (outside / "clinic.yaml").write_text(
        (VALID_SITE / CLINIC).read_text().replace("Test Clinic", SECRET)
    )
    (outside / "site.yaml").write_text(
        (VALID_SITE / "site.yaml").read_text().replace("Test Clinic", SECRET)
    )
    site = base / "site-src"
    shutil.copytree(VALID_SITE, site)
    (site / "templates").mkdir(exist_ok=True)
    previous = site / "site"
    previous.mkdir()
    (previous / ".healthsite-output").write_text("made by healthsite\n")
    (previous / "index.html").write_text(PREVIOUS)
    case.setup(site, outside)
    return site


def _start(case: Case, base: Path) -> tuple[int, Outcome]:
    """Fork a child that runs the CLI on the case's site, as `python build.py build` would
    (the engine already imported: a case costs its build, not Python's start-up)."""
    site = _prepare(case, base)
    previous = {
        p.relative_to(site / "site").as_posix(): p.read_bytes()
        for p in (site / "site").rglob("*")
        if p.is_file()
    }
    outcome = Outcome(None, "", "", 0.0, site, previous)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.setsid()
            os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
            for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
                os.dup2(os.open(base / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            code = main(["build", "--site", str(site), *case.args])
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid, outcome


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case's outcome, two builds at a time; a build running past the limit is killed."""
    root = tmp_path_factory.mktemp("hostile")
    todo = list(CASES)
    running: dict[int, tuple[Case, Outcome, float]] = {}
    done: dict[str, Outcome] = {}
    while todo or running:
        while todo and len(running) < 2:
            case = todo.pop(0)
            pid, outcome = _start(case, root / case.name)
            running[pid] = (case, outcome, time.monotonic())
        time.sleep(0.01)
        for pid, (case, outcome, began) in list(running.items()):
            finished, status = os.waitpid(pid, os.WNOHANG)
            outcome.seconds = time.monotonic() - began
            if not finished and outcome.seconds < TIME_LIMIT:
                continue
            if finished:
                outcome.returncode = os.waitstatus_to_exitcode(status)
            else:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            for name in ("stdout", "stderr"):
                text = (root / case.name / f"{name}.txt").read_text(errors="replace")
                setattr(outcome, name, text)
            done[case.name] = outcome
            del running[pid]
    return done


def _files_under(folder: Path) -> list[Path]:
    found = []
    for current, _dirs, names in os.walk(folder):  # never follows links
        found += [Path(current, name) for name in names]
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_or_built_safely(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    said = outcome.stdout + outcome.stderr
    assert outcome.returncode is not None, f"hung for {TIME_LIMIT} s:\n{said}"
    assert "Traceback" not in said, said
    assert "Errno" not in said, said
    for line in outcome.stderr.splitlines():
        assert (
            DIAGNOSTIC.match(line)
            or SOURCE_LINE.match(line)
            or HINT.match(line)
            or SUMMARY.match(line)
        ), f"not in the diagnostic format: {line!r}\n{said}"
    reported = set(re.findall(r"error\[([a-z0-9-]+)\]", outcome.stderr))
    refused = bool(case.codes) or (case.may_refuse and outcome.returncode == 1)
    if refused:
        assert outcome.returncode == 1, said
        assert set(case.codes or case.may_refuse) <= reported, said
        now = {
            p.relative_to(outcome.site / "site").as_posix(): p.read_bytes()
            for p in (outcome.site / "site").rglob("*")
            if p.is_file()
        }
        assert now == outcome.previous, "a failed build changed site/"
    else:
        assert outcome.returncode == 0, said
        assert (outcome.site / "site/index.html").read_bytes() != PREVIOUS.encode()
    leftovers = [p.name for p in outcome.site.iterdir() if re.match(r"site\.(tmp|old)-", p.name)]
    assert leftovers == []
    for folder in outcome.site.iterdir():
        if folder.name.startswith(("site", ".healthsite-preview")) and folder.is_dir():
            for path in _files_under(folder):
                if path.is_file() and not path.is_symlink():
                    assert SECRET.encode() not in path.read_bytes(), f"{path} has the secret"
