"""The site as a whole: `assemble.py` (documents into one site, `checks.py` across files),
`site_model.py` (what templates can show), `routes.py` (the one route table of every output),
`assets.py` (static files and their fingerprints), `artifact.py` (an output file)."""
