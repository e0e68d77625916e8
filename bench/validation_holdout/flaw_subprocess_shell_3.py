"""Webhook that runs a deployment script for the pushed branch."""

import subprocess

from fastapi import APIRouter, Request

router = APIRouter()

DEPLOY_SCRIPT = "/opt/deploy/deploy.sh"


@router.post("/hooks/deploy")
async def deploy_hook(request: Request) -> dict[str, object]:
    """Deploy the branch named in the push event payload."""
    event = await request.json()
    branch = event["ref"].removeprefix("refs/heads/")
    completed = subprocess.run(
        f"{DEPLOY_SCRIPT} --branch {branch}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return {
        "branch": branch,
        "returncode": completed.returncode,
        "log": completed.stdout[-2000:],
    }
