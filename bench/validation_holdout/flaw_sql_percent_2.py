"""Monthly sales report exported to CSV with pandas."""

from __future__ import annotations

import argparse
import sqlite3

import pandas as pd


def monthly_sales(conn: sqlite3.Connection, region: str, year: int) -> pd.DataFrame:
    """Revenue per month for one region."""
    sql = """
        SELECT strftime('%%m', sold_at) AS month, SUM(amount) AS revenue
        FROM sales
        WHERE region = '%s' AND strftime('%%Y', sold_at) = '%d'
        GROUP BY month ORDER BY month
    """ % (region, year)
    return pd.read_sql_query(sql, conn)


def main() -> None:
    """Parse arguments and write the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sales.db")
    parser.add_argument("--region", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--out", default="report.csv")
    args = parser.parse_args()
    with sqlite3.connect(args.db) as conn:
        monthly_sales(conn, args.region, args.year).to_csv(args.out, index=False)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
