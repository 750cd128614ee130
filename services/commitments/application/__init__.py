"""The application layer: commands, their handlers, group commit, queries and views."""
