"""What other modules may use of notifications. Everything else in
`modules.notifications` is private to it."""

from modules.notifications.infrastructure.export import export_sections

__all__ = ["export_sections"]
