"""Views of this feature (see the package docstring)."""
