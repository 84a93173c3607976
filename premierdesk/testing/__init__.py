"""What the tests of every app share (test code only: it imports pytest and the factories)."""
