"""Implementations of the services' ports: database, mail, holidays, calendar files, Prefect server."""
