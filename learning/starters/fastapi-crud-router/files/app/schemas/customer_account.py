"""Request and response schemas of the customer account API (pydantic v2)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CustomerAccountBase(BaseModel):
    """Fields of one customer account that a client may set."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Display name.")
    description: str | None = Field(default=None, max_length=2000, description="Free text.")
    is_active: bool = Field(default=True, description="Inactive entries are kept but hidden from normal use.")


class CustomerAccountCreate(CustomerAccountBase):
    """Payload to create one customer account."""


class CustomerAccountUpdate(BaseModel):
    """Partial update: only the fields sent are changed; ``null`` leaves a field as it is."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None


class CustomerAccountRead(CustomerAccountBase):
    """A stored customer account as returned by the API."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    updated_at: datetime


class CustomerAccountPage(BaseModel):
    """One page of customer accounts and the total count, for offset pagination."""

    items: list[CustomerAccountRead]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1)
