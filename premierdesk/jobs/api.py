"""Jobs have no API of their own yet."""
