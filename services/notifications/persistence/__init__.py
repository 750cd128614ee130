"""PostgreSQL storage of the notifications service (its own schema, raw psycopg, async)."""
