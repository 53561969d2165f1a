"""Loans and their repayment schedules, assets with market values, and net worth."""
