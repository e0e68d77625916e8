"""The reports' table: a report kept whole (HTML text, PDF bytes), replaced by a second write of its id, listed
newest first without its bytes; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from storage import ReportStore, StoredReport, open_database

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64  # every byte value: stored as bytes, not text


def _report(report_id: str, minutes: int = 0, **extra: object) -> StoredReport:
    values: dict[str, object] = dict(
        id=report_id,
        kind="failure",
        title=f"task of {report_id} — «quoted» ünïcode",
        request_id=f"req-{report_id}",
        created_at=T0 + timedelta(minutes=minutes),
        html=f"<title>{report_id}</title>",
        pdf=PDF,
    )
    values.update(extra)
    return StoredReport.model_validate(values)


def test_a_report_is_kept_whole(database_url: str) -> None:
    store = ReportStore(open_database(database_url))
    store.put(_report("FR-1"))
    assert store.html("FR-1") == "<title>FR-1</title>"
    assert store.pdf("FR-1") == PDF
    kept = store.get("FR-1")
    assert kept is not None and kept == _report("FR-1")
    assert kept.created_at.tzinfo is not None
    assert store.html("FR-2") is None and store.pdf("FR-2") is None and store.get("FR-2") is None


def test_the_newest_come_first_without_their_bytes(database_url: str) -> None:
    store = ReportStore(open_database(database_url))
    for i in range(5):
        store.put(_report(f"FR-{i}", minutes=i))
    store.put(_report("statement-2026-11", minutes=10, kind="statement", request_id=None, month="2026-11"))
    recent = store.recent(limit=3)
    assert [r.id for r in recent] == ["statement-2026-11", "FR-4", "FR-3"]
    assert recent[0].kind == "statement" and recent[0].month == "2026-11" and recent[0].request_id is None
    assert not hasattr(recent[0], "pdf")
    assert store.count() == 6


def test_a_second_write_of_an_id_replaces_the_first(database_url: str) -> None:
    store = ReportStore(open_database(database_url))
    store.put(_report("statement-2026-11", kind="statement", month="2026-11"))
    store.put(_report("statement-2026-11", minutes=5, kind="statement", month="2026-11", html="<p>v2</p>", pdf=b"2"))
    assert store.count() == 1
    assert (store.html("statement-2026-11"), store.pdf("statement-2026-11")) == ("<p>v2</p>", b"2")


def test_writers_racing_on_one_id_leave_one_row(database_url: str) -> None:
    store = ReportStore(open_database(database_url))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            store.put(_report("statement-2026-10", html=f"<p>{n}</p>"))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 1 and store.html("statement-2026-10") in {f"<p>{n}</p>" for n in range(4)}
