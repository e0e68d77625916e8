"""List files in a folder chosen by the user."""

import subprocess


def list_folder(folder: str) -> str:
    """Output of ls for ``folder``."""
    return subprocess.check_output("ls -la " + folder, shell=True, text=True)
