"""What other modules may use of notifications. Everything else in
`modules.notifications` is private to it."""

from modules.notifications.infrastructure.export import export_sections
from modules.notifications.infrastructure.retention import purge_old_notifications

__all__ = ["export_sections", "purge_old_notifications"]
