"""``python -m simulator``: the default answers, served until stdin closes; prints the port first."""

from simulator import main

main()
