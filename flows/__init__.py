"""Prefect flows: the short, repeatable steps between the long waits for people.

Flows only orchestrate: each task calls one use case in ``governance.services``.
"""
