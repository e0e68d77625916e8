"""LLM providers behind one small async protocol; SDK retries off, Prefect owns retrying."""
