"""Log in to an API with credentials from the environment."""

import os

import requests


def get_token(session: requests.Session) -> str:
    """Exchange the configured user and password for a token."""
    password = os.environ["SERVICE_PASSWORD"]
    response = session.post(
        "https://auth.example.com/token",
        data={"username": os.environ["SERVICE_USER"], "password": password},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]
