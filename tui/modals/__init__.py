"""The dialogs: small boxes over a screen, all built on modals.base.Modal."""
