"""Django's SQLite backend with writers that wait in line (see ``base``)."""
