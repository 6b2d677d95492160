"""The read side of the read model, one module per subject: `indicators` (beyond the counts of
projections/counting.py), `activities` (and their trails, agenda and files), `audit` (the whole log),
`accounts`, `targets` (and the institution profile). Plain dicts out; every question about the past takes
its moment (`as_of`) from the caller: nothing here reads the clock."""

from projections.read import accounts, activities, audit, closing, evidence, indicators, manual, targets  # noqa: F401
