"""The read model: SQLite tables that follow the event store; `read` is the only way to read them."""

# Importing the handler modules registers one read-model handler per event class.
from projections import accountmodel, closemodel, manualmodel, readmodel, targetmodel  # noqa: F401
