"""Only plain web addresses reach `robots.txt`, the sitemap, JSON-LD, HTML and the CSP."""

from __future__ import annotations

import pytest

from healthsite.content.web import plain_web_address


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("https://clinic.test/", "https://clinic.test/"),
        ("https://clinic.test", "https://clinic.test/"),
        ("HTTPS://Clinic.Test/patients/", "https://clinic.test/patients/"),
        ("https://caf\u00e9.test/", "https://xn--caf-dma.test/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://[::1]:8443/", "https://[::1]:8443/"),
        ("https://clinic.test/a%20b/", "https://clinic.test/a%20b/"),
    ],
)
def test_plain_addresses_are_kept_normalised(written: str, kept: str) -> None:
    assert plain_web_address(written) == kept


@pytest.mark.parametrize(
    "written",
    [
        'https://clinic.test/"><script>alert(1)</script>',
        "https://clinic.test/\nDisallow: /",
        "https://clinic.test/ x",
        "javascript:alert(1)",
        "ftp://clinic.test/",
        "clinic.test",
        "https:///clinic.test",
        "https://me:secret@clinic.test/",
        "https://clinic.test/?utm=x",
        "https://clinic.test/#top",
        "https://clinic.test/%zz",
        "https://forms.test;report-uri:https:evil.test",
        "https://forms.test,evil.test/",
        "https://clinic.test/../x",
        "",
    ],
)
def test_anything_else_is_refused_in_words(written: str) -> None:
    with pytest.raises(ValueError) as refused:
        plain_web_address(written)
    assert str(refused.value).startswith(("must", "is not", "has a host"))
