"""How the read models sit in PostgreSQL: row codecs, the schema installer, and the read side."""
