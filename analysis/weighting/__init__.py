"""Weighting: raking, calibration (linear, raking, logit), trimming, post-stratification and
the collapsing of sparse categories. Pure functions over numpy arrays."""
