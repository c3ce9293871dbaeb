"""Only what pyproject.toml cannot say: queries/ (top-level, one SQL file per query) ships as recon.queries."""

from setuptools import find_packages, setup

SQL_PACKAGES = ["recon.queries"] + [f"recon.queries.{name}" for name in find_packages("queries")]

setup(
    packages=find_packages(include=["recon", "recon.*"]) + SQL_PACKAGES,
    package_dir={"recon.queries": "queries"},
    package_data={"": ["*.toml", "*.sql", "*.html", "*.txt", "*.j2", "*.md"], "recon": ["templates/*.j2"]},
    include_package_data=False,
)
