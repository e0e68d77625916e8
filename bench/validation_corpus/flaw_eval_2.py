"""Read a list literal typed on the command line."""

import sys


def parse_numbers(text: str) -> list[int]:
    """Turn "[1, 2, 3]" into a list."""
    return list(eval(text, {"__builtins__": {}}))


if __name__ == "__main__":
    print(parse_numbers(sys.argv[1]))
