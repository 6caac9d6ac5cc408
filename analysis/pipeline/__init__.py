"""The estimation pipeline of a questionnaire: from stored responses (one loader,
:mod:`analysis.loader`) to the tidy table of municipal estimates (:mod:`analysis.pipeline.run`)."""
