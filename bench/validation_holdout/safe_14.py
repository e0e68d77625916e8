"""Transcodes audio files concurrently with ffmpeg via asyncio (no shell)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path


async def transcode(src: Path, dst_dir: Path, bitrate: str = "128k") -> Path:
    """Convert ``src`` to MP3 in ``dst_dir``."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("ffmpeg is not installed")
    dst = dst_dir / f"{src.stem}.mp3"
    proc = await asyncio.create_subprocess_exec(
        ffmpeg, "-y", "-i", str(src), "-b:a", bitrate, str(dst),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed on {src.name}: {stderr.decode()[-300:]}")
    return dst


async def transcode_all(sources: list[Path], dst_dir: Path, limit: int = 4) -> list[Path]:
    """Transcode every file, at most ``limit`` at a time."""
    sem = asyncio.Semaphore(limit)

    async def one(src: Path) -> Path:
        async with sem:
            return await transcode(src, dst_dir)

    return await asyncio.gather(*(one(s) for s in sources))
