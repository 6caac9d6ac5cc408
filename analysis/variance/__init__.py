"""Variance: the design (strata, clusters, fpc, calibration model), Taylor linearization and
replicate weights (JK1, Rao–Wu bootstrap, supplied replicates)."""
