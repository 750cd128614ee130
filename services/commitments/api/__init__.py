"""HTTP API of the commitments service (FastAPI, /api/v1). Routes are thin: parse, build a command, submit."""
