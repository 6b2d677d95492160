"""The read model: SQLite tables that follow the event store; `queries` is the only read path."""

# Importing the handler modules registers one read-model handler per event class.
from projections import accountmodel, readmodel, targetmodel  # noqa: F401
