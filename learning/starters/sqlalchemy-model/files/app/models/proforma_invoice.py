"""The ProformaInvoice ORM model: SQLAlchemy 2 typed mappings with database-maintained timestamps."""

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the application's models."""


class TimestampMixin:
    """``created_at`` on insert and ``updated_at`` on every update, both from the database clock."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class ProformaInvoice(TimestampMixin, Base):
    """One proforma invoice, identified for people by its unique ``reference``."""

    __tablename__ = "proforma_invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    def __repr__(self) -> str:
        """Short form for logs: id and reference only."""
        return f"ProformaInvoice(id={self.id!r}, reference={self.reference!r})"
