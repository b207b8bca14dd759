"""Business rules. The only layer that commits to the database."""
