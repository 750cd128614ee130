"""Translation of private domain events into public contracts, and their publication."""
