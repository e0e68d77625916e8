"""``python -m cli``: the ``q2o`` command line without the console script."""

from cli import main

main()
