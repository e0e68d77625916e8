"""Streams the output of a long-running conversion job to the log."""

import logging
from subprocess import PIPE, STDOUT, Popen

logger = logging.getLogger("converter")


def convert_video(source: str, target: str, preset: str = "medium") -> int:
    """Transcode ``source`` to H.264 in ``target`` and return ffmpeg's exit code."""
    cmd = "ffmpeg -y -i {} -c:v libx264 -preset {} {}".format(source, preset, target)
    logger.info("running: %s", cmd)
    process = Popen(cmd, shell=True, stdout=PIPE, stderr=STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        logger.debug(line.rstrip())
    return process.wait()
