# Reference values for subset beside missing values of the studies it leaves out:
#
# * rma(yi, vi, weights = w, subset = s) where w is NA for the studies outside s:
#   metafor subsets the weights before it checks them, so it fits (dat.yusuf1985, log
#   odds ratios of table 9, the studies with a log odds ratio, weights n1i + n2i);
# * subgroups with a subset: rma(yi, vi, subset = s & g == level) per level and
#   rma(yi, vi, mods = ~ factor(g), subset = s), on dat.curtis1998 (log response ratios
#   by functional group, the studies not in growth chambers), with a group and a yi set
#   to NA outside s.
#
# REML to convergence. Run from the repository root (R 4.2.2, metafor 3.8-1, metadat
# 1.2-0, jsonlite):
#     Rscript tests/reference/make_subset_fixtures.R
# Writes tests/reference/metafor_subset/subset.json (17 significant digits).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc_compact()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_subset"
dir.create(out_dir, showWarnings = FALSE)
fit <- function(r) list(estimate = I(as.numeric(r$beta)), se = I(as.numeric(r$se)), tau2 = r$tau2,
                        QE = r$QE, QM = r$QM, QMp = r$QMp, k = r$k)

yu <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.yusuf1985)
s9 <- yu$table == "9" & !is.na(yu$yi)
w9 <- ifelse(s9, yu$n1i + yu$n2i, NA)
yusuf <- rma(yi, vi, weights = w9, subset = s9, data = yu, control = ctl)

cu <- escalc("ROM", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
             data = dat.curtis1998)
keep <- cu$method != "GC"
g <- as.character(cu$fungrp)
y <- as.numeric(cu$yi)
# missing values the subset leaves out: not read
g[which(!keep)[1]] <- NA
y[which(!keep)[2]] <- NA
levels <- sort(unique(g[keep]))
curtis <- list(
  levels = I(levels),
  fits = lapply(setNames(levels, levels), function(l)
    fit(rma(y, cu$vi, subset = keep & g == l & !is.na(g), control = ctl))),
  # metafor codes factor(g) on all the data, then subsets: the dummy of N2FIX, a group
  # only outside the subset, is all 0 and dropped, with a warning said here once
  model = fit(suppressWarnings(rma(y, cu$vi, mods = ~ factor(g), subset = keep, control = ctl))))

out <- list(
  yusuf = list(yi = I(as.numeric(yu$yi)), vi = I(as.numeric(yu$vi)), subset = I(s9),
               weights = I(w9), fit = fit(yusuf)),
  curtis = c(list(yi = I(y), vi = I(as.numeric(cu$vi)), groups = I(g), subset = I(keep)), curtis))
writeLines(enc_compact(out), file.path(out_dir, "subset.json"))
