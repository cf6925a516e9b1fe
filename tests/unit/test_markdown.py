"""Markdown bodies: embeds found with lines, raw HTML sanitized, callouts and tables kept."""

from healthsite.content.markdown_body import render_markdown


def render(body: str):
    return render_markdown(body, "a.md", first_line=10)


def test_embed_on_its_own_line_becomes_a_placeholder_with_its_line():
    result, problems = render("Intro\n\n[[exercise bridge]]\n\nMore\n")
    assert problems == []
    assert [(e.slug, e.line) for e in result.embeds] == [("bridge", 12)]
    assert "<p>HSEMBED-bridge-HSEMBED</p>" in result.html


def test_embed_inside_a_sentence_is_an_error():
    _, problems = render("Try [[exercise bridge]] today.\n")
    assert [(p.code, p.location.line) for p in problems] == [("embed", 10)]


def test_embed_without_a_valid_slug():
    _, problems = render("[[exercise Bridge Pose]]\n")
    assert problems[0].code == "embed" and "Bridge Pose" in problems[0].message


def test_embed_syntax_inside_code_is_left_alone():
    result, problems = render("```\n[[exercise bridge]]\n```\n")
    assert problems == [] and result.embeds == ()


def test_raw_html_is_sanitized():
    body = (
        '<script>alert(1)</script><p onclick="x()">Hi <a href="javascript:x()">link</a></p>'
        '<iframe src="https://evil.example/"></iframe><img src="a.svg" alt="A">\n'
    )
    result, _ = render(body)
    for bad in ("<script", "onclick", "javascript:", "<iframe", "evil.example"):
        assert bad not in result.html
    assert '<img alt="A" src="a.svg">' in result.html or 'alt="A"' in result.html


def test_inline_styles_are_removed_because_the_csp_forbids_them():
    result, _ = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert "<table>" in result.html and "style=" not in result.html


def test_headings_get_ids_and_are_listed():
    result, _ = render("## Why it helps\n\nText\n\n### Detail & more\n")
    assert '<h2 id="why-it-helps">' in result.html
    assert [(h.level, h.id, h.text) for h in result.headings] == [
        (2, "why-it-helps", "Why it helps"),
        (3, "detail-more", "Detail & more"),
    ]


def test_admonitions():
    result, problems = render('!!! caution "Stop"\n    Call us.\n')
    assert problems == []
    assert '<div class="admonition caution">' in result.html
    _, problems = render('!!! danger "Stop"\n    Call us.\n')
    assert problems[0].code == "admonition"


def test_level_one_heading_and_image_without_alt():
    _, problems = render("# Title again\n\n![](x.svg)\n")
    assert sorted(p.code for p in problems) == ["heading", "image-alt"]


def test_embed_syntax_inside_an_html_comment_is_a_note_not_an_embed():
    result, problems = render("<!--\n[[exercise bridge]]\n-->\n\n<!-- [[exercise x]] -->\n")
    assert problems == [] and result.embeds == ()
