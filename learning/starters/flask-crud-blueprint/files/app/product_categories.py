"""CRUD endpoints for product categories as a Flask blueprint, backed by a thread-safe in-memory store.

Register it with ``app.register_blueprint(product_categories_api)``. Errors are JSON: 400 for a bad body,
404 for an unknown id. Replace ``ProductCategoryStore`` with a database-backed class of the same shape.
"""

import threading
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request

product_categories_api = Blueprint("product_categories_api", __name__, url_prefix="/product-categories")

MAX_PAGE_SIZE = 100
NAME_MAX = 200
DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class ProductCategory:
    """A stored product category."""

    id: int
    name: str
    description: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict with ISO 8601 timestamps."""
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        return data


class PayloadError(ValueError):
    """The request body is not an acceptable product category."""


def parse_payload(payload: Any, *, partial: bool) -> dict[str, Any]:
    """The validated fields of a JSON body; with ``partial`` every field is optional."""
    if not isinstance(payload, dict):
        raise PayloadError("body must be a JSON object")
    unknown = set(payload) - {"name", "description", "is_active"}
    if unknown:
        raise PayloadError(f"unknown fields: {', '.join(sorted(unknown))}")
    fields: dict[str, Any] = {}
    if "name" in payload or not partial:
        name = payload.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
            raise PayloadError(f"name must be a non-empty string of at most {NAME_MAX} characters")
        fields["name"] = name.strip()
    if "description" in payload:
        description = payload["description"]
        if description is not None and (not isinstance(description, str) or len(description) > DESCRIPTION_MAX):
            raise PayloadError(f"description must be null or a string of at most {DESCRIPTION_MAX} characters")
        fields["description"] = description
    if "is_active" in payload:
        if not isinstance(payload["is_active"], bool):
            raise PayloadError("is_active must be true or false")
        fields["is_active"] = payload["is_active"]
    return fields


class ProductCategoryStore:
    """Product categories kept in process memory; every method is safe to call from several threads."""

    def __init__(self) -> None:
        """Start with no product categories."""
        self._lock = threading.Lock()
        self._rows: dict[int, ProductCategory] = {}
        self._next_id = 1

    def page(self, offset: int, limit: int) -> tuple[list[ProductCategory], int]:
        """Product categories ``offset`` to ``offset + limit`` in id order, and the total count."""
        with self._lock:
            rows = sorted(self._rows.values(), key=lambda row: row.id)
        return rows[offset:offset + limit], len(rows)

    def get(self, product_category_id: int) -> ProductCategory | None:
        """The product category with this id, or None."""
        with self._lock:
            return self._rows.get(product_category_id)

    def create(self, fields: dict[str, Any]) -> ProductCategory:
        """Store a new product category from validated fields."""
        now = datetime.now(UTC)
        with self._lock:
            row = ProductCategory(
                id=self._next_id, name=fields["name"], description=fields.get("description"),
                is_active=fields.get("is_active", True), created_at=now, updated_at=now)
            self._rows[row.id] = row
            self._next_id += 1
        return row

    def update(self, product_category_id: int, fields: dict[str, Any]) -> ProductCategory | None:
        """Apply validated fields; None if there is no such product category."""
        with self._lock:
            current = self._rows.get(product_category_id)
            if current is None:
                return None
            row = replace(current, **fields, updated_at=datetime.now(UTC))
            self._rows[product_category_id] = row
        return row

    def delete(self, product_category_id: int) -> bool:
        """Remove the product category; False if there was none."""
        with self._lock:
            return self._rows.pop(product_category_id, None) is not None


store = ProductCategoryStore()


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, default=default, type=int)
    if value is None or not low <= value <= high:
        raise PayloadError(f"{name} must be an integer from {low} to {high}")
    return value


@product_categories_api.errorhandler(PayloadError)
def bad_payload(exc: PayloadError) -> tuple[Response, int]:
    """400 with the validation message."""
    return _error(400, str(exc))


@product_categories_api.get("")
def list_product_categories() -> tuple[Response, int]:
    """One page of product categories: ``?offset=0&limit=20``."""
    offset = _int_arg("offset", 0, 0, 10**9)
    limit = _int_arg("limit", 20, 1, MAX_PAGE_SIZE)
    items, total = store.page(offset, limit)
    return jsonify({"items": [row.to_json() for row in items], "total": total,
                    "offset": offset, "limit": limit}), 200


@product_categories_api.get("/<int:product_category_id>")
def get_product_category(product_category_id: int) -> tuple[Response, int]:
    """One product category, or 404."""
    row = store.get(product_category_id)
    if row is None:
        return _error(404, f"Product category {product_category_id} not found")
    return jsonify(row.to_json()), 200


@product_categories_api.post("")
def create_product_category() -> tuple[Response, int]:
    """Create one product category from the JSON body; 201."""
    row = store.create(parse_payload(request.get_json(silent=True), partial=False))
    return jsonify(row.to_json()), 201


@product_categories_api.patch("/<int:product_category_id>")
def update_product_category(product_category_id: int) -> tuple[Response, int]:
    """Change the fields sent, or 404."""
    row = store.update(product_category_id, parse_payload(request.get_json(silent=True), partial=True))
    if row is None:
        return _error(404, f"Product category {product_category_id} not found")
    return jsonify(row.to_json()), 200


@product_categories_api.delete("/<int:product_category_id>")
def delete_product_category(product_category_id: int) -> tuple[Response, int]:
    """Delete one product category (204), or 404."""
    if not store.delete(product_category_id):
        return _error(404, f"Product category {product_category_id} not found")
    return Response(status=204), 204
