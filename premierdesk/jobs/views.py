"""Jobs have no pages of their own: administrators see job state in the admin."""
