"""The composition root: the one place that builds the settings, the database, the mail transport
and the Prefect connection, and hands them to what runs on them (the CLI commands, the web app, the
dispatcher, the flows). Nothing below the entry points builds its own.

- ``flow_runtime``: the runtime flow runs work on, in this process or in a process of their own;
- ``serving``: ``signoff serve``, everything in one process.
"""

from governance.entrypoints.composition.serving import run_start_flow_here, serve, serve_web

__all__ = ["run_start_flow_here", "serve", "serve_web"]
