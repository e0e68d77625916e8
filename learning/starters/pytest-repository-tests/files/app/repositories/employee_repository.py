"""An in-memory employee repository: the interface a database-backed one would offer, without a database."""

import threading
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Employee:
    """A stored employee."""

    id: int
    reference: str
    name: str
    is_active: bool = True


class EmployeeNotFoundError(LookupError):
    """No employee has the requested id."""


class DuplicateEmployeeError(ValueError):
    """Another employee already uses this reference."""


class EmployeeRepository:
    """Employees kept in memory, unique by ``reference``; safe to share between threads."""

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        self._rows: dict[int, Employee] = {}
        self._next_id = 1

    def add(self, reference: str, name: str, *, is_active: bool = True) -> Employee:
        """Store a new employee; raises ``DuplicateEmployeeError`` if the reference is taken."""
        with self._lock:
            if any(row.reference == reference for row in self._rows.values()):
                raise DuplicateEmployeeError(reference)
            row = Employee(id=self._next_id, reference=reference, name=name, is_active=is_active)
            self._rows[row.id] = row
            self._next_id += 1
            return row

    def get(self, employee_id: int) -> Employee:
        """The employee with this id; raises ``EmployeeNotFoundError``."""
        with self._lock:
            if employee_id not in self._rows:
                raise EmployeeNotFoundError(employee_id)
            return self._rows[employee_id]

    def page(self, *, offset: int = 0, limit: int = 50, active_only: bool = False) -> list[Employee]:
        """Employees in id order, ``limit`` at most, skipping ``offset``."""
        if offset < 0 or limit < 1:
            raise ValueError("offset must be >= 0 and limit >= 1")
        with self._lock:
            rows = sorted(self._rows.values(), key=lambda row: row.id)
        if active_only:
            rows = [row for row in rows if row.is_active]
        return rows[offset:offset + limit]

    def rename(self, employee_id: int, name: str) -> Employee:
        """Change the name; raises ``EmployeeNotFoundError``."""
        with self._lock:
            if employee_id not in self._rows:
                raise EmployeeNotFoundError(employee_id)
            row = replace(self._rows[employee_id], name=name)
            self._rows[employee_id] = row
            return row

    def deactivate(self, employee_id: int) -> Employee:
        """Mark inactive (kept, but hidden from ``active_only`` listings)."""
        with self._lock:
            if employee_id not in self._rows:
                raise EmployeeNotFoundError(employee_id)
            row = replace(self._rows[employee_id], is_active=False)
            self._rows[employee_id] = row
            return row

    def delete(self, employee_id: int) -> None:
        """Remove for good; raises ``EmployeeNotFoundError``."""
        with self._lock:
            if self._rows.pop(employee_id, None) is None:
                raise EmployeeNotFoundError(employee_id)
