"""What other modules may use of imports: nothing yet. Its doors are its own pages
and API; it plugs its rules into the ledger itself (`connect_entry_rules`)."""

from __future__ import annotations

__all__: list[str] = []
