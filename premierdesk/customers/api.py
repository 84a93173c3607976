"""API for customers: its endpoints arrive with the issue that builds this area."""
