"""Local developer stack for Cam kết: PostgreSQL, NATS JetStream and the camket services.

The command line is ``python -m devstack {ensure,run,stop,status}``. Test suites import the
throwaway-server API from here to run failure tests against servers they own::

    from devstack import NatsServer, PostgresCluster, scratch_dir

Importing this package needs only the standard library; psycopg and nats-py are imported when a
readiness check actually runs.
"""

from __future__ import annotations

from devstack.envfile import load_env_file
from devstack.natscluster import NatsCluster
from devstack.natsserver import NatsServer
from devstack.net import free_port
from devstack.pgcluster import PostgresCluster
from devstack.scratch import scratch_dir

__all__ = ["NatsCluster", "NatsServer", "PostgresCluster", "free_port", "load_env_file", "scratch_dir"]
