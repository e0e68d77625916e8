"""CRUD endpoints for customer accounts, backed by a thread-safe in-memory store.

The endpoints depend only on ``get_customer_account_store``: override it (``app.dependency_overrides``) or
replace ``CustomerAccountStore`` with a database-backed class that has the same methods.
"""

import threading
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from ..schemas.customer_account import (
    CustomerAccountCreate,
    CustomerAccountPage,
    CustomerAccountRead,
    CustomerAccountUpdate,
)

router = APIRouter(prefix="/customer-accounts", tags=["customer accounts"])

MAX_PAGE_SIZE = 100


class CustomerAccountStore:
    """Customer accounts kept in process memory; every method is safe to call from several threads."""

    def __init__(self) -> None:
        """Start with no customer accounts."""
        self._lock = threading.Lock()
        self._rows: dict[int, CustomerAccountRead] = {}
        self._next_id = 1

    def page(self, offset: int, limit: int) -> tuple[list[CustomerAccountRead], int]:
        """Customer accounts ``offset`` to ``offset + limit`` in id order, and the total count."""
        with self._lock:
            rows = sorted(self._rows.values(), key=lambda row: row.id)
        return rows[offset:offset + limit], len(rows)

    def get(self, customer_account_id: int) -> CustomerAccountRead | None:
        """The customer account with this id, or None."""
        with self._lock:
            return self._rows.get(customer_account_id)

    def create(self, data: CustomerAccountCreate) -> CustomerAccountRead:
        """Store a new customer account and return it with its id and timestamps."""
        now = datetime.now(UTC)
        with self._lock:
            row = CustomerAccountRead(id=self._next_id, created_at=now, updated_at=now, **data.model_dump())
            self._rows[row.id] = row
            self._next_id += 1
        return row

    def update(self, customer_account_id: int, data: CustomerAccountUpdate) -> CustomerAccountRead | None:
        """Apply the fields that were sent; None if there is no such customer account."""
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        with self._lock:
            current = self._rows.get(customer_account_id)
            if current is None:
                return None
            row = CustomerAccountRead.model_validate(
                {**current.model_dump(), **changes, "updated_at": datetime.now(UTC)})
            self._rows[customer_account_id] = row
        return row

    def delete(self, customer_account_id: int) -> bool:
        """Remove the customer account; False if there was none."""
        with self._lock:
            return self._rows.pop(customer_account_id, None) is not None


_store = CustomerAccountStore()


def get_customer_account_store() -> CustomerAccountStore:
    """The store the endpoints use (one per process)."""
    return _store


CustomerAccountStoreDep = Annotated[CustomerAccountStore, Depends(get_customer_account_store)]


def _not_found(customer_account_id: int) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_404_NOT_FOUND, detail=f"Customer account {customer_account_id} not found")


@router.get("", response_model=CustomerAccountPage)
def list_customer_accounts(
    store: CustomerAccountStoreDep,
    offset: Annotated[int, Query(ge=0, description="Entries to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 20,
) -> CustomerAccountPage:
    """One page of customer accounts."""
    items, total = store.page(offset, limit)
    return CustomerAccountPage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{customer_account_id}", response_model=CustomerAccountRead)
def get_customer_account(customer_account_id: int, store: CustomerAccountStoreDep) -> CustomerAccountRead:
    """One customer account, or 404."""
    row = store.get(customer_account_id)
    if row is None:
        raise _not_found(customer_account_id)
    return row


@router.post("", response_model=CustomerAccountRead, status_code=status.HTTP_201_CREATED)
def create_customer_account(data: CustomerAccountCreate, store: CustomerAccountStoreDep) -> CustomerAccountRead:
    """Create one customer account."""
    return store.create(data)


@router.patch("/{customer_account_id}", response_model=CustomerAccountRead)
def update_customer_account(
    customer_account_id: int, data: CustomerAccountUpdate, store: CustomerAccountStoreDep,
) -> CustomerAccountRead:
    """Change the fields sent, or 404."""
    row = store.update(customer_account_id, data)
    if row is None:
        raise _not_found(customer_account_id)
    return row


@router.delete("/{customer_account_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_customer_account(customer_account_id: int, store: CustomerAccountStoreDep) -> Response:
    """Delete one customer account, or 404."""
    if not store.delete(customer_account_id):
        raise _not_found(customer_account_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
