"""Helpers shared by every app's tests (pytest plugins loaded by the root conftest)."""

# Every fan the tests create has this password.
PASSWORD = "correct-horse-battery"
