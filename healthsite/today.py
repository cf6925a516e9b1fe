"""The build's "today": the date review checks compare with, pinned by `SOURCE_DATE_EPOCH`.

Standard library only: the command line reads it before it imports the engine.
"""

from __future__ import annotations

import datetime as dt
import os


def build_today() -> dt.date:
    """Today's date for review checks; `SOURCE_DATE_EPOCH` pins it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
