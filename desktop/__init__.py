"""Composition root: starts Qt, opens the vault, wires services, and the `parley` CLI."""
