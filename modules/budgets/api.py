"""What other modules may use of budgets."""
