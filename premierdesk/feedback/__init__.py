"""Feedback (docs/product/surveys-and-reports.md#surveys): the survey every closed ticket gets, and
what the answers say."""
