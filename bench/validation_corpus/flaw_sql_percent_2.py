"""Flask endpoint updating a product price."""

import sqlite3

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

products = Blueprint("products", __name__)


@products.post("/products/<sku>/price")
def set_price(sku: str) -> ResponseReturnValue:
    """Set the price of one product."""
    price = request.json["price"]
    sql = "UPDATE products SET price = %s WHERE sku = '%s'" % (price, sku)  # noqa: UP031 - the planted flaw
    with sqlite3.connect("shop.db") as conn:
        conn.execute(sql)
    return jsonify({"sku": sku, "price": price})
