"""Writes that go beyond a single model's ``save()``: plain functions named
``<entity>_<action>`` with keyword-only arguments."""

from .dumping import DumpError, casebook_dump
from .editor_changes import Conflict
from .groups import EDITORS, VIEWERS, groups_ensure
from .loading import EditorChangesError, FixtureError, casebook_is_empty, casebook_load, casebook_validate

__all__ = [
    "EDITORS",
    "VIEWERS",
    "Conflict",
    "DumpError",
    "EditorChangesError",
    "FixtureError",
    "casebook_dump",
    "casebook_is_empty",
    "casebook_load",
    "casebook_validate",
    "groups_ensure",
]
