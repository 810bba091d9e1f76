"""The evaluation report of a trial, made from its data: `read` (reading.py) gathers everything
the report says, in plain values, with a digest of it; `build` (presenter.py) turns that into
numbered sections, tables and figures; `html` and `pdf` (output.py) draw it. The same data and
the same version of Family Feedback always make the same report."""
