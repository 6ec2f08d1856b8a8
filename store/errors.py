"""The errors a user may meet: each carries a one-line message meant for them."""


class CoffeeError(Exception):
    """Something the user can fix; its text is shown as it is, without a traceback."""


class StoreError(CoffeeError):
    """The database file cannot be used (bad, locked, unwritable, newer schema)."""


class RefError(CoffeeError):
    """A REF names no contact, or more than one."""


class InputError(CoffeeError):
    """A value the user typed cannot be read (a stage, a quick-add line, a date)."""
