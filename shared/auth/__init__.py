"""Identity: verified bearer tokens (JWT) and the principal they carry. Roles are checked by each service."""
