"""Release rules: coefficients of variation, quality flags and what they mean."""
