"""The manager's report in the preview: a page served by `serve`, never a file of the site."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fetch, serving


def test_the_preview_serves_the_report_and_never_writes_it(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        page = fetch(served.url + "__healthsite__/report")
        assert "<h1>Content report: Test Clinic</h1>" in page
        assert '<th scope="row">Bridge<br><code>content/exercises/bridge.md</code></th>' in page
        assert "never published" in page
        assert f"Content report: {served.url}__healthsite__/report" in served.output()
        served.edit(
            "content/exercises/bridge.md", "Lower your hips slowly.", "[REPLACE: the last step]"
        )
        # made fresh on each visit: the placeholder shows without a restart
        assert "1 placeholder" in fetch(served.url + "__healthsite__/report")
        for folder in (served.site / ".healthsite-preview", served.site / "site"):
            if folder.exists():
                assert not any("report" in p.name for p in folder.rglob("*"))
