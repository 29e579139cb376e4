"""Evaluation harness: gold-set readers, metrics, peers and one evaluator per task.

``newstrace eval TASK --data PATH`` and ``newstrace eval all`` are thin wrappers around
``run_task``, ``run_all``, ``render_table``, ``write_json`` and ``write_accuracy_md``.
"""

from newstrace.evaluation.tasks import (
    TASKS,
    CachingAnalyzer,
    TaskResult,
    TaskSpec,
    default_data,
    default_shared_root,
    render_table,
    run_all,
    run_task,
    write_accuracy_md,
    write_json,
)

__all__ = [
    "TASKS",
    "CachingAnalyzer",
    "TaskResult",
    "TaskSpec",
    "default_data",
    "default_shared_root",
    "render_table",
    "run_all",
    "run_task",
    "write_accuracy_md",
    "write_json",
]
