"""Flask route returning one product by id from MySQL."""

import pymysql
from flask import Flask, abort, jsonify
from flask.typing import ResponseReturnValue

app = Flask(__name__)


def get_connection() -> pymysql.connections.Connection:
    """Open a connection to the catalog database."""
    return pymysql.connect(host="db", user="catalog", database="catalog", read_default_file="~/.my.cnf")


@app.route("/products/<product_id>")
def product(product_id: str) -> ResponseReturnValue:
    """Return the product as JSON or 404."""
    conn = get_connection()
    try:
        with conn.cursor(pymysql.cursors.DictCursor) as cursor:
            cursor.execute("SELECT id, name, price FROM products WHERE id = " + product_id)
            row = cursor.fetchone()
    finally:
        conn.close()
    if row is None:
        abort(404)
    return jsonify(row)
