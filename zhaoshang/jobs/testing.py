"""For tests: work the queue as `manage.py db_worker --batch` does, in this process."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker


def run_queued(max_tasks: int | None = None) -> None:
    """Run every task waiting in the queue (and those they queue), then return. The worker's check
    for stale connections between tasks is left out: inside a test's transaction it would close the
    test's own connection."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
