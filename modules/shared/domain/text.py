"""Marking user-facing text in pure code.

`makemessages` extracts calls to `gettext_noop`; the door (API handler, form, template)
translates the message into the reader's language.
"""


def gettext_noop(message: str) -> str:
    return message
