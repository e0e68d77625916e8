"""Reports for people: failure reports, cost reports and learned-template reports.

Jinja2 templates render HTML (autoescaped), WeasyPrint turns it into a PDF; no Prefect here.
"""
