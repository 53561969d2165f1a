"""What other modules may use of recurring. Everything else in `modules.recurring`
is private to it."""

from __future__ import annotations

from modules.recurring.infrastructure.export import export_sections
from modules.recurring.infrastructure.sweep import sweep_all

__all__ = ["export_sections", "sweep_all"]
