"""SQLAlchemy repository for orders."""

from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    """Declarative base."""


class Order(Base):
    """An order."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer: Mapped[str]


class OrderRepository:
    """Reads and writes orders."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_customer(self, customer: str) -> list[Order]:
        """Orders of one customer."""
        return list(self.session.scalars(select(Order).where(Order.customer == customer)))
