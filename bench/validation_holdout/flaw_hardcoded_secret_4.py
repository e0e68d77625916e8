"""S3 uploader for nightly exports."""

import os
from pathlib import Path

import boto3

AWS_ACCESS_KEY_ID = os.getenv("AWS_ACCESS_KEY_ID", "AKIA4JQ7W2RZ5HMTX3NB")
AWS_SECRET_ACCESS_KEY = os.getenv("AWS_SECRET_ACCESS_KEY", "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")
BUCKET = os.getenv("EXPORT_BUCKET", "acme-exports")


def upload_export(path: Path, prefix: str = "nightly") -> str:
    """Upload ``path`` to the export bucket and return its key."""
    s3 = boto3.client(
        "s3",
        aws_access_key_id=AWS_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_SECRET_ACCESS_KEY,
    )
    key = f"{prefix}/{path.name}"
    s3.upload_file(str(path), BUCKET, key)
    return key
