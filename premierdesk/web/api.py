"""The web shell has no API of its own; see premierdesk/api.py for the API root."""
