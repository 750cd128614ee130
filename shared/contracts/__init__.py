"""Public event contracts. Each version is a module (`v1`); a breaking change is a new module beside it."""
