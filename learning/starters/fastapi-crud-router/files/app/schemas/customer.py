"""Request and response schemas of the customer API (pydantic v2)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CustomerBase(BaseModel):
    """Fields of one customer that a client may set."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Display name.")
    description: str | None = Field(default=None, max_length=2000, description="Free text.")
    is_active: bool = Field(default=True, description="Inactive entries are kept but hidden from normal use.")


class CustomerCreate(CustomerBase):
    """Payload to create one customer."""


class CustomerUpdate(BaseModel):
    """Partial update: only the fields sent are changed; ``null`` leaves a field as it is."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None


class CustomerRead(CustomerBase):
    """A stored customer as returned by the API."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime


class CustomerPage(BaseModel):
    """One page of customers and the total count, for offset pagination."""

    items: list[CustomerRead]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1)
