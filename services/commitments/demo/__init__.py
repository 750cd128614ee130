"""`camket demo`: a plausible year of the 2025 program played through the real commands under a
simulated clock, into a sandbox of its own (schemas `demo_*`, subject prefix `demo`)."""
