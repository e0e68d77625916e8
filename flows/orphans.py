"""Flow runs whose process died mid-run end Crashed instead of staying Running in the UI forever.

A run host that is killed (SIGKILL, out of memory) cannot tell Prefect anything: its runs stay Running. Its
in-flight marks (``services/inflight.py``) outlive it. Whoever sees them first ends those runs Crashed, with a
message that says what happened and where the calls are: the caller whose answer was lost, the next run host at
its start, ``q2o server stop``. A run that reached a final state meanwhile is left as it is. The request's calls
still "running" in the ledger end as interrupted (cost unknown, never 0) and their budget holds are released.
"""

from __future__ import annotations

import logging
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.states import Crashed

from services.inflight import InFlight, forget, orphans
from settings import Settings
from storage import BudgetStore, RequestLog, open_database

log = logging.getLogger("q2o.orphans")


def orphan_message(entry: InFlight) -> str:
    return (
        f"the process that ran it (pid {entry.pid}) stopped during the run; its calls are in the ledger "
        f"(`q2o requests show {entry.request_id}`)"
    )


async def crash_orphans(settings: Settings, request_id: str | None = None) -> list[str]:
    """End Crashed the flow runs of dead processes' in-flight marks (only ``request_id``'s when given) and drop
    the marks; the ids of the flow runs it ended. A mark whose request never reached the request log (its
    process died first) or whose run ended is dropped as it is. A Prefect API that cannot be reached keeps the
    marks for the next try."""
    found = orphans(settings, request_id)
    if not found:
        return []
    db = open_database(settings.resolved_database_url)
    requests = RequestLog(db)
    ended: list[str] = []
    async with get_client() as client:
        for entry in found:
            # Its calls in flight can no longer be finished by it: interrupted, cost unknown, holds released.
            BudgetStore(db).interrupt_request(
                entry.request_id, f"the process making this call (pid {entry.pid}) stopped before the call ended"
            )
            logged = requests.get(entry.request_id)
            flow_run_id = logged.flow_run_id if logged else None
            if flow_run_id is not None:
                try:
                    run = await client.read_flow_run(UUID(flow_run_id))
                    if run.state is None or not run.state.is_final():
                        await client.set_flow_run_state(run.id, Crashed(message=orphan_message(entry)), force=True)
                        ended.append(flow_run_id)
                        log.info("request %s: its flow run %s ended Crashed", entry.request_id, flow_run_id)
                except ObjectNotFound:
                    pass  # another server's run (PREFECT_API_URL changed), or deleted: nothing to end here
                except Exception as exc:  # noqa: BLE001 - the API may be down: keep the mark for the next sweep
                    log.warning("could not end flow run %s of a dead process: %s", flow_run_id, exc)
                    continue
            forget(entry)
    return ended
