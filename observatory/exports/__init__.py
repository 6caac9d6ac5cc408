"""Microdata exports of an estimate run: CSV with a codebook, Parquet, SPSS and Stata files
with the run's final and replicate weights, and R and Stata code that reproduces its figures.

See :mod:`observatory.exports.codebook` (variables and codes), :mod:`observatory.exports.build`
(one export), :mod:`observatory.exports.queue` (through the job queue). The statistics stack
and pyreadstat are imported when an export is built, not when this package is.
"""

from observatory.exports.store import ExportJob
from observatory.exports.writers import FORMATS

__all__ = ["FORMATS", "ExportJob"]
