"""Spark tests take the session-wide ``spark`` fixture from tests/conftest.py."""
