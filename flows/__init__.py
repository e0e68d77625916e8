"""Prefect flows: the only place that composes tasks."""
