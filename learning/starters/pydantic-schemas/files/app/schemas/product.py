"""Pydantic v2 schemas for products: what clients send (Create, Update) and what they get back (Read)."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class ProductBase(BaseModel):
    """Fields shared by every product schema."""

    name: Name = Field(description="Display name.")
    reference: Reference = Field(description="Unique business key, e.g. an external code.")
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool = True


class ProductCreate(ProductBase):
    """Input to create one product; unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")


class ProductUpdate(BaseModel):
    """Input to change one product: every field optional, only the fields sent are applied.

    Use ``model_dump(exclude_unset=True)`` to get the changes.
    """

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    reference: Reference | None = None
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None


class ProductRead(ProductBase):
    """One product as returned to clients; builds from ORM objects as well as dicts."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime
