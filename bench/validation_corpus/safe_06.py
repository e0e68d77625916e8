"""Parse a literal list typed by a user, without eval."""

import ast


def parse_numbers(text: str) -> list[int]:
    """Turn "[1, 2, 3]" into a list of ints."""
    value = ast.literal_eval(text)
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ValueError("expected a list of integers")
    return value
