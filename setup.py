"""Packaging beyond what pyproject.toml can say: the rubrics folder.

The repository's top-level ``rubrics/`` is the only copy of the bundled rubrics
in git. It ships inside the package as ``evgrade/rubrics/`` (package data of
``evgrade.rubrics``, mapped to ``rubrics/``), so an installed evgrade finds them.
pyproject.toml's ``packages.find`` cannot add a package from another folder,
hence the packages are listed here; everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["evgrade", "evgrade.*"]), "evgrade.rubrics"],
    package_dir={"evgrade.rubrics": "rubrics"},
)
