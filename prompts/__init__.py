"""Jinja2 prompt files and the registry that renders them (StrictUndefined: a missing variable is an error)."""
