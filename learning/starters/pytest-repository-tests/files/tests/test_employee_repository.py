"""Tests for the employee repository: add, get, page, rename, deactivate, delete and the error cases.

Asserts carry ``noqa``/``nosec`` markers because linters that ban ``assert`` in production code also
scan this file; pytest's assertion rewriting is what these tests rely on.
"""

import pytest
from app.repositories.employee_repository import (
    DuplicateEmployeeError,
    Employee,
    EmployeeNotFoundError,
    EmployeeRepository,
)


@pytest.fixture
def repository() -> EmployeeRepository:
    """An empty repository per test."""
    return EmployeeRepository()


@pytest.fixture
def stored(repository: EmployeeRepository) -> list[Employee]:
    """Three employees already in the repository."""
    return [repository.add(f"REF-{n}", f"Name {n}") for n in range(1, 4)]


def test_add_assigns_increasing_ids(repository: EmployeeRepository) -> None:
    """Each new employee gets the next id."""
    first = repository.add("REF-1", "Name 1")
    second = repository.add("REF-2", "Name 2")
    assert (first.id, second.id) == (1, 2)  # noqa: S101  # nosec B101


def test_get_returns_what_was_added(repository: EmployeeRepository, stored: list[Employee]) -> None:
    """A stored employee reads back equal."""
    assert repository.get(stored[1].id) == stored[1]  # noqa: S101  # nosec B101


def test_duplicate_reference_is_refused(repository: EmployeeRepository, stored: list[Employee]) -> None:
    """References are unique."""
    with pytest.raises(DuplicateEmployeeError):
        repository.add(stored[0].reference, "Someone else")


@pytest.mark.parametrize(("offset", "limit", "expected"), [(0, 2, [1, 2]), (2, 2, [3]), (3, 5, [])])
def test_page_slices_in_id_order(repository: EmployeeRepository, stored: list[Employee],
                                 offset: int, limit: int, expected: list[int]) -> None:
    """Offset and limit select a window of the id-ordered list."""
    assert [row.id for row in repository.page(offset=offset, limit=limit)] == expected  # noqa: S101  # nosec B101


def test_page_rejects_bad_bounds(repository: EmployeeRepository) -> None:
    """Negative offsets and empty pages are errors, not silent empty results."""
    with pytest.raises(ValueError, match="offset"):
        repository.page(offset=-1)
    with pytest.raises(ValueError, match="limit"):
        repository.page(limit=0)


def test_rename_changes_only_the_name(repository: EmployeeRepository, stored: list[Employee]) -> None:
    """Other fields are kept."""
    renamed = repository.rename(stored[0].id, "New name")
    assert renamed == Employee(id=stored[0].id, reference=stored[0].reference, name="New name")  # noqa: S101  # nosec B101


def test_deactivated_employees_leave_active_listings(
    repository: EmployeeRepository, stored: list[Employee],
) -> None:
    """``active_only`` hides deactivated entries; the full listing keeps them."""
    repository.deactivate(stored[0].id)
    assert [row.id for row in repository.page(active_only=True)] == [2, 3]  # noqa: S101  # nosec B101
    assert len(repository.page()) == 3  # noqa: S101  # nosec B101


def test_delete_then_get_is_not_found(repository: EmployeeRepository, stored: list[Employee]) -> None:
    """A deleted employee is gone, and deleting twice is an error."""
    repository.delete(stored[2].id)
    with pytest.raises(EmployeeNotFoundError):
        repository.get(stored[2].id)
    with pytest.raises(EmployeeNotFoundError):
        repository.delete(stored[2].id)


@pytest.mark.parametrize("operation", ["get", "rename", "deactivate", "delete"])
def test_unknown_id_is_not_found(repository: EmployeeRepository, operation: str) -> None:
    """Every lookup by id reports a missing employee the same way."""
    call = {
        "get": lambda: repository.get(99),
        "rename": lambda: repository.rename(99, "x"),
        "deactivate": lambda: repository.deactivate(99),
        "delete": lambda: repository.delete(99),
    }[operation]
    with pytest.raises(EmployeeNotFoundError):
        call()
