# Reference values for subgroups() given a factor whose levels are not in sorted order.
#
# R's factor() keeps a factor's own level order (dropping levels no study has), and
# metafor's mods = ~ factor(g) takes the first level as the reference: the intercept is
# that level's mean and each other coefficient its difference from it. A character
# vector's levels are sorted instead. Written for nine studies in three settings whose
# factor lists outpatient, inpatient, community and an unused home, under REML with the
# z and Knapp-Hartung tests, at metafor's default control.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_subgroup_levels_fixtures.R
# Writes tests/reference/metafor_subgroup_levels/levels.json: the data and levels, then
# per test the coefficients' names, beta, se, tau2, QM and QMp, for the factor and for
# the same values as a character vector; then the labels of each level's fit (metafor's
# rma(subset =)) and of its leave1out rows. 17 significant digits (see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc(), run()

out_dir <- "tests/reference/metafor_subgroup_levels"
dir.create(out_dir, showWarnings = FALSE)

yi <- c(-0.82, -0.12, -1.30, 0.04, -0.61, -0.15, 0.55, -0.45, 0.20)
vi <- c(0.083, 0.050, 0.112, 0.034, 0.061, 0.090, 0.045, 0.070, 0.066)
levels <- c("outpatient", "inpatient", "community", "home")
g <- c("inpatient", "outpatient", "inpatient", "community", "outpatient", "inpatient",
       "community", "inpatient", "outpatient")
setting <- factor(g, levels = levels)

fit_fields <- function(m) {
  list(coef_names = I(rownames(m$beta)), beta = I(as.numeric(m$beta)), se = I(as.numeric(m$se)),
       tau2 = m$tau2, QM = m$QM, QMp = m$QMp)
}
out <- list(yi = I(yi), vi = I(vi), groups = I(g), levels = I(levels))
for (test in c("z", "knha")) {
  out[[test]] <- list(
    factor = fit_fields(rma(yi, vi, mods = ~ factor(setting), test = test)),
    character = fit_fields(rma(yi, vi, mods = ~ factor(g), test = test))
  )
}

# The per-level fits keep the studies' labels: rma(subset =) keeps the full data's row
# numbers as slab (or the given labels), so leave1out's rows name the studies; with a
# further subset (the first study left out) alike.
labs <- paste("Trial", LETTERS[seq_along(yi)])
keep <- seq_along(yi) != 1
per_level <- function(slab, subset) {
  res <- list()
  for (lev in sort(unique(g))) {
    sel <- subset & g == lev
    m <- if (is.null(slab)) rma(yi, vi, subset = sel) else rma(yi, vi, slab = slab, subset = sel)
    res[[lev]] <- list(slab = I(as.character(m$slab)),
                       leave1out = I(rownames(as.data.frame(leave1out(m)))))
  }
  res
}
out$labels <- list(
  default = per_level(NULL, rep(TRUE, length(yi))), given = per_level(labs, rep(TRUE, length(yi))),
  subset_default = per_level(NULL, keep), slab = I(labs))

writeLines(enc(out), file.path(out_dir, "levels.json"))
