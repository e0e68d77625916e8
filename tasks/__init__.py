"""Thin Prefect task wrappers, one file per step of the generate-code flow."""
