"""Checking a contact's fields as a person types them into a form."""

from __future__ import annotations

import re
from collections.abc import Callable

from store.dates import DateError, cadence_text
from store.errors import CoffeeError
from store.records import Contact

# The fields a form edits, in the order it shows them.
FORM_FIELDS = (
    "name", "role", "company", "industry", "email", "phone", "linkedin", "location",
    "how_we_know", "referred_by", "tags", "keep_in_touch", "notes", "research", "culture",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,}$")
_URL = re.compile(r"^(https?://|www\.|[a-z]{2,3}\.linkedin\.com/|linkedin\.com/)\S+$", re.I)
_REFERRER_ID = re.compile(r"^#(\d+)\b")


def form_values(contact: Contact, referrer_name: str = "") -> dict[str, str]:
    """The contact's fields as the text a form shows; the referrer as "#id name"."""
    values = {name: str(getattr(contact, name) or "") for name in FORM_FIELDS}
    values["tags"] = ", ".join(contact.tags)
    referrer = contact.referred_by
    values["referred_by"] = f"#{referrer} {referrer_name}".strip() if referrer else ""
    return values


def _referrer(text: str, resolve: Callable[[str], Contact]) -> Contact:
    """"#12 anything" is contact 12 (what the form shows); anything else is a REF."""
    match = _REFERRER_ID.match(text)
    return resolve(match.group(1) if match else text)


def _refers_back(referrer: Contact, contact_id: int | None,
                 resolve: Callable[[str], Contact]) -> bool:
    """True when `referrer` was itself led to, directly or not, by the contact."""
    seen: set[int] = set()
    current: Contact | None = referrer
    while current is not None and current.id not in seen:
        if current.id == contact_id:
            return True
        seen.add(current.id)
        try:
            current = resolve(str(current.referred_by)) if current.referred_by else None
        except CoffeeError:
            current = None
    return False


def apply_form(
    contact: Contact, values: dict[str, str], resolve: Callable[[str], Contact]
) -> tuple[Contact | None, dict[str, str]]:
    """The edited contact and no errors, or None and a message per invalid field."""
    v = {name: values.get(name, "").strip() for name in FORM_FIELDS}
    errors: dict[str, str] = {}
    if not v["name"]:
        errors["name"] = "a name is needed"
    if v["email"] and not _EMAIL.match(v["email"]):
        errors["email"] = "not an email address (like jane@example.com)"
    if v["phone"] and not _PHONE.match(v["phone"]):
        errors["phone"] = "digits, spaces and + ( ) - . / only"
    if v["linkedin"] and not _URL.match(v["linkedin"]):
        errors["linkedin"] = "a web address, like https://www.linkedin.com/in/jane"
    keep_in_touch = ""
    if v["keep_in_touch"]:
        try:
            keep_in_touch = cadence_text(v["keep_in_touch"])
        except DateError:
            errors["keep_in_touch"] = "like 6w, 3m, every 2 months or monthly"
    referred_by = None
    if v["referred_by"]:
        try:
            referrer = _referrer(v["referred_by"], resolve)
        except CoffeeError as exc:
            errors["referred_by"] = str(exc)
        else:
            if _refers_back(referrer, contact.id, resolve):
                errors["referred_by"] = "that would make a loop: they were referred through this contact"
            referred_by = referrer.id
    if errors:
        return None, errors
    fields = {name: v[name] for name in FORM_FIELDS if name not in ("tags", "referred_by")}
    fields["keep_in_touch"] = keep_in_touch
    tags = [tag.strip() for tag in v["tags"].split(",") if tag.strip()]
    return contact.replace(**fields, tags=tags, referred_by=referred_by), {}
