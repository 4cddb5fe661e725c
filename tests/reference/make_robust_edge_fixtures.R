# Reference values for metareview.robust's edge cases and for the width of printed
# coefficient tables (metafor 3.8-1's print of rma and robust fits at R's default width 80).
#
# * kalaian_singular: dat.kalaian1996's first 20 estimates with two dummies d1 and d2, each
#   1 for the estimates of one study, clustered by study. Each dummy's coefficient is
#   estimated from a single cluster, so the robust var-cov matrix of the tested
#   coefficients is singular (two eigenvalues ~1e-19): metafor prints an F of about 1e16,
#   metareview gives NaN and says why. Kept: the data, metafor's robust fit (vb, QM) and the
#   eigenvalues of its vb.
# * ishak_time: dat.ishak2007 in long format (one row per study and time point, the rows
#   without an estimate dropped, sorted by study and time, as in metafor's documentation of
#   dat.ishak2007), mods factor(time), clustered by study: print() of the rma fit, of
#   robust() and of robust() of the fit with weights 1/vi, at width 80, where R prints the
#   significance stars of the robust tables in a second block; and an rma fit with a
#   moderator of a long name (the disease duration, mdur), whose table wraps as well.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_robust_edge_fixtures.R
# Writes tests/reference/metafor_robust_edge/<case>.json (see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()
options(width = 80, show.signif.stars = TRUE)
out_dir <- "tests/reference/metafor_robust_edge"
dir.create(out_dir, showWarnings = FALSE)
printed <- function(x) I(capture.output(print(x)))

ka <- dat.kalaian1996[1:20, ]
ka$d1 <- +(ka$study == ka$study[1])
ka$d2 <- +(ka$study == ka$study[5])
fit <- rma(yi, vi, mods = ~ d1 + d2 + hrs, data = ka)
rob <- robust(fit, cluster = ka$study)
kalaian <- list(
  yi = I(ka$yi), vi = I(ka$vi), study = I(as.character(ka$study)),
  mods = list(d1 = I(ka$d1), d2 = I(ka$d2), hrs = I(ka$hrs)),
  beta = I(as.numeric(rob$beta)), se = I(as.numeric(rob$se)), vb = I(as.vector(t(rob$vb))),
  QM = rob$QM, QMdf = I(rob$QMdf), QMp = rob$QMp, dfs = rob$dfs, n = rob$n,
  eigen_vb = I(eigen(rob$vb, symmetric = TRUE, only.values = TRUE)$values),
  printed = printed(rob))
writeLines(enc(kalaian), file.path(out_dir, "kalaian_singular.json"))

dat <- reshape(dat.ishak2007, direction = "long", idvar = "study", v.names = c("yi", "vi"),
               varying = list(c(2, 4, 6, 8), c(3, 5, 7, 9)))
dat <- dat[order(dat$study, dat$time), ]
dat <- dat[!is.na(dat$yi), ]
dat$mean_disease_duration_years <- dat$mdur
fit <- rma(yi, vi, mods = ~ factor(time), data = dat)
fitw <- rma(yi, vi, mods = ~ factor(time), data = dat, weights = 1 / vi)
fitl <- rma(yi, vi, mods = ~ factor(time) + mean_disease_duration_years, data = dat)
ishak <- list(
  yi = I(dat$yi), vi = I(dat$vi), study = I(dat$study), time = I(dat$time), mdur = I(dat$mdur),
  rma = list(beta = I(as.numeric(fit$beta)), printed = printed(fit)),
  robust = list(se = I(as.numeric(robust(fit, cluster = dat$study)$se)),
                printed = printed(robust(fit, cluster = dat$study))),
  robust_weights = list(se = I(as.numeric(robust(fitw, cluster = dat$study)$se)),
                        printed = printed(robust(fitw, cluster = dat$study))),
  rma_long_name = list(coef_names = I(rownames(fitl$beta)), beta = I(as.numeric(fitl$beta)),
                       printed = printed(fitl)))
writeLines(enc(ishak), file.path(out_dir, "ishak_time.json"))
