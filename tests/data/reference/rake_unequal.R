# Reference values for tests/analysis/test_notebook_api.py: a raked cluster design with
# unequal design weights, and domain means in small domains (school districts).
# Run from this folder:  Rscript rake_unequal.R > rake_unequal.txt
# (R 4.x with the survey package; the output was produced once and is stored beside it).
suppressMessages(library(survey))
options(digits = 15)
d <- read.csv("apiclus1.csv")
d$w <- d$pw * (1 + (d$snum %% 3) / 2)  # unequal design weights: pw, 1.5 pw or 2 pw
des <- svydesign(id = ~dnum, weights = ~w, fpc = ~fpc, data = d)
pop_stype <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop_sw <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
r <- rake(des, list(~stype, ~sch.wide), list(pop_stype, pop_sw),
          control = list(maxit = 100, epsilon = 1e-12))
m <- svymean(~api00, r)
t <- svytotal(~enroll, r)
cat(sprintf("mean_api00 %.12f %.12f\n", coef(m), SE(m)))
cat(sprintf("total_enroll %.12f %.12f\n", coef(t), SE(t)))
b <- svyby(~api00, ~dnum, r, svymean)
for (i in seq_len(nrow(b))) {
  cat(sprintf("by_dnum %d %.12f %.12f\n", b$dnum[i], b$api00[i], b$se[i]))
}
s <- svyby(~api00, ~stype, r, svymean)
for (i in seq_len(nrow(s))) {
  cat(sprintf("by_stype %s %.12f %.12f\n", s$stype[i], s$api00[i], s$se[i]))
}
p <- svymean(~I(both == "Yes"), r)
cat(sprintf("prop_both %.12f %.12f\n", coef(p)[2], SE(p)[2]))
u <- svymean(~api00, des)
cat(sprintf("unraked_mean_api00 %.12f %.12f\n", coef(u), SE(u)))
