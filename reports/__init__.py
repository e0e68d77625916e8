"""Reports for people: failure reports for consultants and month statements.

Jinja2 templates render HTML (autoescaped), WeasyPrint turns it into a PDF; both are written under
``Q2O_HOME/reports``, kept in the database and served over HTTP by ``reports.server``. No Prefect here.
"""
