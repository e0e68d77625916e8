"""The WarehouseLocation ORM model (SQLAlchemy 2 typed mappings) used by its repository."""

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the application's models."""


class WarehouseLocation(Base):
    """One warehouse location, identified for people by its unique ``code``."""

    __tablename__ = "warehouse_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
