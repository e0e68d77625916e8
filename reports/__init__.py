"""Reports for people: failure reports for consultants and month statements.

Jinja2 templates render HTML (autoescaped), WeasyPrint turns it into a PDF; no Prefect here.
"""
