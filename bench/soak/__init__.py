"""`make soak` (`python -m bench.soak`): the whole stack for SOAK_SECONDS (default 600) at a steady mixed
load, sampling every process's memory, the consumers' lags and the latencies every 10 s; then a table
over time and a verdict: is memory bounded, do the lags stay put?

The stack is `make run`'s process table (devstack.stack.STACK, brought up by devstack's Supervisor) on
scratch state: its own state directory (keys), schemas, subject prefix and free ports, against the test
database and the machine's NATS; everything it made is removed afterwards. Not in CI (ten minutes).
"""
