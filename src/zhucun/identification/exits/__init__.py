"""Exit: a household's named exit checks, village exit by poverty incidence, and the
county's indicators (wrongly exited, missed households, public approval), all computed."""
