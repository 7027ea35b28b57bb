"""Causes and plans: a plan per household (一户一策) from a catalogue of measures, with
progress and results, and a development plan per village (its projects)."""
