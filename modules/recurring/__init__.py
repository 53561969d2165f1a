"""Recurring transactions and bills, and the cash-flow forecast they make."""
