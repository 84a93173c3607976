"""Feedback (SPEC §8): the survey every closed ticket gets, and what the answers say."""
