# Vigie: questionnaire victimisation, estimate run 1, 16 bootstrap replicates.
# V = (1/R) sum_r (theta_r - theta)^2: scale = 1/R, rscales = 1, mse = TRUE.
library(survey)
respondents <- read.csv("respondents.csv")
design <- svrepdesign(
  data = respondents,
  weights = ~final_weight,
  repweights = "^rw_[0-9]{2}$",
  type = "bootstrap",
  scale = 1 / 16,
  rscales = 1,
  mse = TRUE,
  combined.weights = TRUE
)
# unsafe_after_dark in municipality 2466023 (municipality == 1), a direct estimate.
# Vigie's run: estimate 52.1104, SE 2.7960, n = 240.
domain <- subset(design, municipality == 1 & !is.na(d_unsafe_after_dark))
ratio <- svyratio(~n_unsafe_after_dark, ~d_unsafe_after_dark, domain)
print(c(estimate = 100 * coef(ratio), se = 100 * SE(ratio)))
