"""Thin Prefect task wrappers, one file per step of the generate-code flow.

Importing any of them registers the Prefect budget-alert channel (``tasks/alerts.py``): every flow runs tasks,
so every flow's process sends fired alerts to Prefect without registering anything itself.
"""

from tasks.alerts import register_prefect_alerts

register_prefect_alerts()
