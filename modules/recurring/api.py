"""What other modules may use of recurring."""
