"""Onboarding checklists (R9): templates, generation, owners, items, the lists."""

from portal.services.onboarding import generation, items, owners, workdays

__all__ = ["generation", "items", "owners", "workdays"]
