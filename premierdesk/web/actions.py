"""The web shell changes no state; pages call the actions of the app they show."""
