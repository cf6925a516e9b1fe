"""The default theme: the templates and static files every site starts from. A site's own
`templates/` and `static/` folders override them file by file."""

from pathlib import Path

THEME_DIR = Path(__file__).parent
THEME_TEMPLATES = THEME_DIR / "templates"
THEME_STATIC = THEME_DIR / "static"
