"""The activity log's domain: the Activity aggregate, its rules, and the application that records it.

Imports only the standard library and eventsourcing (no Flask, no SQL). Import the module you need
(`domain.periods`, `domain.application`, …): this package re-exports nothing, so that reading a period
does not load the event store.
"""
