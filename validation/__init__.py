"""Checks that generated code must pass before it is returned or learned."""
