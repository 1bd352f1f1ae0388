"""Vault services: each takes a Session, never commits, and returns frozen dataclasses."""
