"""The read model: SQLite tables that follow the event store; `read` is the only way to read them."""

# Importing the handler modules registers one read-model handler per event class.
from projections import (  # noqa: F401
    accountmodel,
    closemodel,
    evidencemodel,
    manualmodel,
    readmodel,
    targetmodel,
)
