"""Where evgrade keeps what it can make again: one folder, read by every cache."""

from __future__ import annotations

import os
from pathlib import Path


def base_folder() -> Path:
    """``$EVGRADE_CACHE_DIR`` if set (``~`` expanded), else the platform's user cache folder."""
    env = os.environ.get("EVGRADE_CACHE_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("evgrade"))


def cache_folder(root: str | os.PathLike[str] | None = None) -> Path | None:
    """``root``, else :func:`base_folder`; None (keep nothing) when ``EVGRADE_NO_CACHE``
    is set. The lookup cache ignores ``EVGRADE_NO_CACHE``: it has ``--offline`` and
    ``--refresh`` instead."""
    if os.environ.get("EVGRADE_NO_CACHE"):
        return None
    return Path(root) if root else base_folder()
