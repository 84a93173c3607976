"""The page base stores nothing of its own."""
