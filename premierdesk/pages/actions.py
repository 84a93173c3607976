"""The page base changes no state; pages call the actions of the app they show."""
