"""Evidence files ("minh chứng"): stored content-addressed (SHA-256), named by the events that cite them."""
