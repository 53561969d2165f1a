"""What other modules may use of loans."""
