"""Estimators: totals, means, ratios and proportions with their influence values, confidence
intervals (normal, logit, Korn–Graubard) and design effects."""
