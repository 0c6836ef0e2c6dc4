"""Writes that go beyond a single model's ``save()``: plain functions named
``<entity>_<action>`` with keyword-only arguments."""

from .groups import EDITORS, VIEWERS, groups_ensure
from .loading import FixtureError, casebook_load, casebook_validate

__all__ = ["EDITORS", "VIEWERS", "FixtureError", "casebook_load", "casebook_validate", "groups_ensure"]
