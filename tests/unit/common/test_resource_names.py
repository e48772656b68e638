"""Functions find resources only through environment variables; both stacks name them from one list."""
from __future__ import annotations

from functions.common.config import TABLE_NAMES
from infra.resources import TABLES, function_environment_names


def test_every_table_the_functions_read_is_defined_once_for_both_stacks():
    assert set(TABLE_NAMES) == {t.name for t in TABLES}
    names = function_environment_names()
    assert all(f"{t.upper()}_TABLE" in names for t in TABLE_NAMES)
