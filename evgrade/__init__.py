"""evgrade: grade the evidence behind the claims in a text.

The library never prints and never exits; :mod:`evgrade.cli` is the only
place that does.
"""

__version__ = "0.1.0"
