"""The starters' example files include a pytest module; it tests example code, not Q2O Forge, so never collect it."""

collect_ignore_glob = ["*/files/*"]
