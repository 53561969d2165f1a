"""The PostgreSQL backend of the app: Django's, bound to the app's role and the
tenant context before each query (ADR 0022)."""
