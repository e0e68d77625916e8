"""Derived columns for the sales dataframe, computed with pandas expressions."""

from __future__ import annotations

import pandas as pd


def add_totals(df: pd.DataFrame, vat_rate: float = 0.2) -> pd.DataFrame:
    """Add ``net``, ``vat`` and ``gross`` columns."""
    out = df.copy()
    out = out.eval("net = price * quantity")
    out["vat"] = out["net"] * vat_rate
    out["gross"] = out["net"] + out["vat"]
    return out


def big_orders(df: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Rows whose gross total is above ``threshold``."""
    return df.query("gross > @threshold").sort_values("gross", ascending=False)


def summary(df: pd.DataFrame) -> str:
    """One-line human summary of the frame."""
    return "{} orders, gross total {:.2f}, largest {:.2f}".format(len(df), df["gross"].sum(), df["gross"].max())
