"""Flows as deployments run them (entrypoints in ``prefect.yaml``).

A deployed run happens in a worker process, so the agent that called ``run_deployment`` can only get the
``CodeResult`` back if the flow's result is persisted: the deployed ``generate-code`` persists it as JSON
(``flow_run.state.aresult(raise_on_failure=False)`` returns it, for a Failed run too). Task results stay unpersisted
(``PREFECT_TASKS_DEFAULT_PERSIST_RESULT=false`` in the deployment's environment): they are not needed
again and writing them would slow every run. Local runs (CLI, tests) use ``generate_code`` as is.
"""

from __future__ import annotations

from flows.generate_code import generate_code as _generate_code

generate_code = _generate_code.with_options(persist_result=True, result_serializer="json")
