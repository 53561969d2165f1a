"""Budgets: a limit per category or group and period, what is spent against it, and alerts."""
