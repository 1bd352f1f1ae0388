"""The clinical engine: content, scoring, referral indicators, triage, negotiation and plans.

Pure Python: no Qt, no database, no PDF library, so that scripts and tests can use it anywhere.
"""
