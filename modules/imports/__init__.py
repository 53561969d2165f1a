"""Bank statement imports: parse, preview, confirm, undo (ADR 0017)."""
