"""Small-area estimation: the Fay–Herriot area-level model (linear, as R ``sae``, and on a
variance-stabilising scale for proportions) and the declared choice between direct and model
estimates."""
