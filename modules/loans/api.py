"""What other modules may use of loans."""

from modules.loans.infrastructure.export import export_sections

__all__ = ["export_sections"]
