"""The evaluation package's code in two parts: reading and checking a package (package_read),
which needs no database, and importing and exporting it (package_io), which writes."""

from pathlib import Path

from familyfeedback.evaluation import package_io, package_read

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "formats" / "example-package"


def test_a_package_is_read_and_checked_without_touching_the_database():
    # No django_db mark: pytest-django refuses any query, so reading must not make one.
    read, problems = package_read.read_package(EXAMPLE)
    assert problems == []
    assert all(read.rows[file] for file in package_read.FILES)


def test_reading_a_package_imports_nothing_that_writes():
    source = Path(package_read.__file__).read_text()
    for writer in ("transaction", "audit", ".objects", "bulk_create"):
        assert writer not in source, writer


def test_importing_and_exporting_build_on_the_reader():
    assert package_io.read_package is package_read.read_package
    assert package_io.TABLES is package_read.TABLES
