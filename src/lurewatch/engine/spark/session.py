"""A SparkSession configured for lurewatch: local mode that stays on 127.0.0.1, or a cluster URL."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def spark_session(
    master: str = DEFAULT_MASTER,
    *,
    app_name: str = "lurewatch",
    driver_memory: str = "2g",
    shuffle_partitions: int | None = None,
    extra: dict[str, str] | None = None,
) -> SparkSession:
    """Gets (or creates) the session.

    Local mode binds the driver to 127.0.0.1 (nothing listens on other interfaces), turns the
    web UI off, and keeps shuffles small (a few partitions, not Spark's default 200). On a
    cluster the executors need the same Python and lurewatch: see docs/spark.md.
    """
    from pyspark.sql import SparkSession

    local = is_local(master)
    if local:  # workers must run this interpreter (the venv with lurewatch), not `python3`
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if local:
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions or 4))
            .config("spark.default.parallelism", str(shuffle_partitions or 4))
        )
    elif shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    for key, value in (extra or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
