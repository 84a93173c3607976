"""API for catalog: its endpoints arrive with the issue that builds this area."""
