"""Importing contacts from the files people already have: LinkedIn, CSV, vCard, a JSON backup."""

from store.importing.rows import FORMATS, KEYS, LINKEDIN_HOW, import_file

__all__ = ["FORMATS", "KEYS", "LINKEDIN_HOW", "import_file"]
