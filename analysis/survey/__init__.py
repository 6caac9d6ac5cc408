"""The notebook API: a survey design from a data frame, adjustments that return a new design,
and tidy estimates, in R ``survey``'s vocabulary (docs/statistics.md, "In a notebook")."""
