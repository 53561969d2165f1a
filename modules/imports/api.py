"""What other modules may use of imports: its part of the person's export. Its doors
are its own pages and API; it plugs its rules into the ledger itself
(`connect_entry_rules`)."""

from __future__ import annotations

from modules.imports.infrastructure.export import export_sections

__all__ = ["export_sections"]
