"""``python -m evgrade``: the same command line as the ``evgrade`` script."""

from __future__ import annotations

if __name__ == "__main__":  # a spawned pool worker imports this module without running it
    from evgrade.cli import run

    run()
