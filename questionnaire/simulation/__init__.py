"""Random respondents walked through a questionnaire, and the report of their paths.

``simulate.simulate`` draws answers (``sampling``, ``regex_sampling``) and
checks every path's end (``report``). Nothing is imported here.
"""
