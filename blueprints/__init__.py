"""Feature blueprints: thin views over the services in `portal`."""
