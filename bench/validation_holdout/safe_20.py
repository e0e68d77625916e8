"""Uploads files to S3 with credentials taken from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import boto3


def s3_client() -> "boto3.client":
    """S3 client; credentials are read from the standard environment variables."""
    return boto3.client(
        "s3",
        region_name=os.environ.get("AWS_REGION", "eu-west-1"),
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )


def upload_dir(local: Path, bucket: str, prefix: str = "") -> int:
    """Upload every file below ``local``; return how many were sent."""
    client = s3_client()
    count = 0
    for path in local.rglob("*"):
        if path.is_file():
            key = f"{prefix}{path.relative_to(local).as_posix()}"
            client.upload_file(str(path), bucket, key)
            count += 1
    return count
