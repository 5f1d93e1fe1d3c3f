"""Sub-commands of the ``creditgraph`` CLI, one module each, discovered by ``creditgraph.cli``.

A module defines ``register(subparsers)`` that adds its parser and sets ``handler``.
"""
