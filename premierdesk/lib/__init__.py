"""Pure helpers shared by every app: no models, no database, no Django request objects."""
