"""CRUD endpoints for customers, backed by a thread-safe in-memory store.

The endpoints depend only on ``get_customer_store``: override it (``app.dependency_overrides``) or
replace ``CustomerStore`` with a database-backed class that has the same methods.
"""

import threading
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from ..schemas.customer import (
    CustomerCreate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
)

router = APIRouter(prefix="/customers", tags=["customers"])

MAX_PAGE_SIZE = 100


class CustomerStore:
    """Customers kept in process memory; every method is safe to call from several threads."""

    def __init__(self) -> None:
        """Start with no customers."""
        self._lock = threading.Lock()
        self._rows: dict[int, CustomerRead] = {}
        self._next_id = 1

    def page(self, offset: int, limit: int) -> tuple[list[CustomerRead], int]:
        """Customers ``offset`` to ``offset + limit`` in id order, and the total count."""
        with self._lock:
            rows = sorted(self._rows.values(), key=lambda row: row.id)
        return rows[offset:offset + limit], len(rows)

    def get(self, customer_id: int) -> CustomerRead | None:
        """The customer with this id, or None."""
        with self._lock:
            return self._rows.get(customer_id)

    def create(self, data: CustomerCreate) -> CustomerRead:
        """Store a new customer and return it with its id and timestamps."""
        now = datetime.now(UTC)
        with self._lock:
            row = CustomerRead(id=self._next_id, created_at=now, updated_at=now, **data.model_dump())
            self._rows[row.id] = row
            self._next_id += 1
        return row

    def update(self, customer_id: int, data: CustomerUpdate) -> CustomerRead | None:
        """Apply the fields that were sent; None if there is no such customer."""
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        with self._lock:
            current = self._rows.get(customer_id)
            if current is None:
                return None
            row = CustomerRead.model_validate(
                {**current.model_dump(), **changes, "updated_at": datetime.now(UTC)})
            self._rows[customer_id] = row
        return row

    def delete(self, customer_id: int) -> bool:
        """Remove the customer; False if there was none."""
        with self._lock:
            return self._rows.pop(customer_id, None) is not None


_store = CustomerStore()


def get_customer_store() -> CustomerStore:
    """The store the endpoints use (one per process)."""
    return _store


CustomerStoreDep = Annotated[CustomerStore, Depends(get_customer_store)]


def _not_found(customer_id: int) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_404_NOT_FOUND, detail=f"Customer {customer_id} not found")


@router.get("", response_model=CustomerPage)
def list_customers(
    store: CustomerStoreDep,
    offset: Annotated[int, Query(ge=0, description="Entries to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 20,
) -> CustomerPage:
    """One page of customers."""
    items, total = store.page(offset, limit)
    return CustomerPage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{customer_id}", response_model=CustomerRead)
def get_customer(customer_id: int, store: CustomerStoreDep) -> CustomerRead:
    """One customer, or 404."""
    row = store.get(customer_id)
    if row is None:
        raise _not_found(customer_id)
    return row


@router.post("", response_model=CustomerRead, status_code=status.HTTP_201_CREATED)
def create_customer(data: CustomerCreate, store: CustomerStoreDep) -> CustomerRead:
    """Create one customer."""
    return store.create(data)


@router.patch("/{customer_id}", response_model=CustomerRead)
def update_customer(
    customer_id: int, data: CustomerUpdate, store: CustomerStoreDep,
) -> CustomerRead:
    """Change the fields sent, or 404."""
    row = store.update(customer_id, data)
    if row is None:
        raise _not_found(customer_id)
    return row


@router.delete("/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_customer(customer_id: int, store: CustomerStoreDep) -> Response:
    """Delete one customer, or 404."""
    if not store.delete(customer_id):
        raise _not_found(customer_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
