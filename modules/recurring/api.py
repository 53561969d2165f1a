"""What other modules may use of recurring. Everything else in `modules.recurring`
is private to it."""

from __future__ import annotations

from modules.recurring.infrastructure.sweep import sweep_all

__all__ = ["sweep_all"]
