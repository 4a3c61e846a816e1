"""In-memory units of work for fast tests of the services (the ports in governance/services/ports.py).

``FakeStore`` keeps committed data; each unit of work works on a private copy that a write unit of
work publishes when its block ends normally, so a use case that raises leaves nothing behind, as a
rolled-back transaction would. A read unit of work refuses every write, which catches a service
writing where it promised only to read.
"""

from tests.fakes.data import ReadOnlyViolation
from tests.fakes.unit_of_work import FakeStore, FakeUnitOfWork

__all__ = ["FakeStore", "FakeUnitOfWork", "ReadOnlyViolation"]
