"""Command line for a plain checkout: `python build.py --help`."""

from healthsite.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
