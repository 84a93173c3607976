"""The web shell stores nothing of its own."""
