"""The PostgreSQL backend of the app: Django's, switched to the app's role before
each query that needs it (ADR 0022)."""
