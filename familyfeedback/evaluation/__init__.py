"""Evaluating a pilot: trials, randomisation, practitioner surveys, the analysis and the report.
Reads casework and implementation; nothing imports it."""
