"""A person's rights over their data: export everything (and, later, erase it)."""
