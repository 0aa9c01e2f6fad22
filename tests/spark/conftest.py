"""One SparkSession for the whole folder: starting one costs 5–60 s, the tests need seconds."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def spark():  # noqa: ANN201
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    from lurewatch.engine.spark.session import spark_session

    session = spark_session(
        "local[2]", app_name="lurewatch-tests", driver_memory="1g", shuffle_partitions=2
    )
    yield session
    session.stop()
