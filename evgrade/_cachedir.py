"""Where evgrade keeps what it can make again: one folder, read by every cache."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(root: str | os.PathLike[str] | None = None) -> Path | None:
    """``root``, else ``$EVGRADE_CACHE_DIR``, else the user cache folder; None (keep
    nothing) when ``EVGRADE_NO_CACHE`` is set."""
    if os.environ.get("EVGRADE_NO_CACHE"):
        return None
    base = root or os.environ.get("EVGRADE_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("evgrade")
    return Path(base)
