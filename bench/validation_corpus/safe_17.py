"""Pydantic schemas for a vendor API."""

from pydantic import BaseModel, Field


class VendorIn(BaseModel):
    """A vendor as created by a client."""

    name: str = Field(min_length=1, max_length=200)
    email: str


class VendorOut(VendorIn):
    """A stored vendor."""

    id: int
