"""API for offices: its endpoints arrive with the issue that builds this area."""
