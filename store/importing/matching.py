"""De-duplication: which contact, already there or just imported, a row is.

A row matches a contact by LinkedIn URL, else email, else name + company, ignoring case
and accents; two different LinkedIn profiles are never the same person.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from store.records import Contact
from store.text import fold


def linkedin_key(url: str) -> str:
    """A profile URL without scheme, `www.`, query or trailing slash, casefolded."""
    url = url.strip().casefold().split("?")[0].split("#")[0].rstrip("/")
    url = re.sub(r"^[a-z]+://", "", url)
    return url.removeprefix("www.")


KEYS: tuple[Callable[[dict], object], ...] = (
    lambda f: linkedin_key(f.get("linkedin", "")),
    lambda f: f.get("email", "").strip().casefold(),
    lambda f: (fold(f.get("name", "")), fold(f.get("company", ""))),
)


class Matcher:
    """Finds the contact a row names among those already there and those just imported."""

    def __init__(self, contacts: list[Contact]) -> None:
        self.index: list[dict] = [{} for _ in KEYS]
        self.by_name: dict[str, dict[int, Contact]] = {}  # by object id: a contact once
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        doc = contact.to_doc()
        for key, index in zip(KEYS, self.index, strict=True):
            value = key(doc)
            if value and value != ("", ""):
                index.setdefault(value, contact)
        self.by_name.setdefault(fold(contact.name), {})[id(contact)] = contact

    def find(self, fields: dict) -> Contact | None:
        wanted = linkedin_key(fields.get("linkedin", ""))
        for key, index in zip(KEYS, self.index, strict=True):
            value = key(fields)
            contact = index.get(value) if value else None
            # Two different LinkedIn profiles are two people, whatever else they share.
            if contact and not (
                wanted and contact.linkedin and linkedin_key(contact.linkedin) != wanted
            ):
                return contact
        return None

    def named(self, name: str) -> list[Contact]:
        return list(self.by_name.get(fold(name), {}).values())
