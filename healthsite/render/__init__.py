"""Rendering: `pages.py` makes a page's HTML; `environment.py` the Jinja environments (one per
render); `recording.py` notes what a render read; `site_files.py` places the sitemap, feeds,
robots.txt (`feeds.py`), `_headers` (`security.py`), the contact card (`vcard.py`) and the
service worker (`offline.py`); `jsonld.py` makes the structured data."""
