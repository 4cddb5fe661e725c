# Reference values from metafor for the batched and subgroup fits with a given tau^2
# and given weights or none: fit_batch(tau2=) and subgroups(tau2=, weights=, weighted=).
#
# * fit_batch.json: rma(yi, vi, tau2 = ..., subset = s) on dat.bcg (log risk ratios) for
#   six subsets s (all 13 studies, 1:6, 6:13, the odd-numbered ones, two studies and
#   one), tau2 = 0.1 and 0, every estimator (se.tau2 is the estimator's formula at the
#   given value) and the tests z and knha: the pooled estimate and its test, the
#   prediction interval (predict()), tau^2 and its SE, I^2, H^2, Q, vt, s2w and the
#   log-likelihoods (fitstats(), ML and REML);
# * subgroups.json: the subgroups of dat.bcg by allocation (alternate, random,
#   systematic), rma(yi, vi, subset = alloc == level, ...) for each level and the
#   mixed-effects model rma(yi, vi, mods = ~ factor(alloc), ...), REML and DL, z and
#   knha, with tau2 = 0.05, with weights = ni (the total sample sizes) and with both;
# * subgroups_unweighted.json: the same subgroups fitted with weighted = FALSE (REML, DL,
#   FE and HE; z and knha; tau^2 estimated or given), and FE and HE with a study of vi = 0.
#
# A given tau^2 leaves nothing to iterate (closed forms, compared at ``closed``); the
# weighted REML and DL fits estimate tau^2 (REML to convergence, threshold = tol =
# 1e-12) and are compared at ``tight``.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_batch_fixtures.R
# Writes tests/reference/metafor_batch/{fit_batch,subgroups,subgroups_unweighted}.json
# (17 significant digits; see fixture_json.R); NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_batch"
dir.create(out_dir, showWarnings = FALSE)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))
nn <- function(x) if (is.null(x) || all(is.na(x))) NULL else x
header <- function(what) {
  list(source = paste("metafor", as.character(packageVersion("metafor")), "make_batch_fixtures.R"),
       R_version = paste(R.version$major, R.version$minor, sep = "."), what = what, control = ctl)
}

dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
yi <- as.numeric(dat$yi)
vi <- as.numeric(dat$vi)
ni <- with(dat.bcg, tpos + tneg + cpos + cneg)
alloc <- as.character(dat.bcg$alloc)

# ---- fit_batch -------------------------------------------------------------------------
subsets <- list(all = 1:13, first6 = 1:6, last8 = 6:13, odd = seq(1, 13, 2), two = c(4, 9),
                one = 7)
methods <- c("REML", "ML", "DL", "PM", "PMM", "HE", "SJ", "EB", "HS")
batch_block <- function(res) {
  p <- predict(res)
  list(k = res$k, estimate = unname(c(res$beta)), se = res$se, stat = unname(res$zval),
       df = nn(res$ddf), pval = res$pval, ci_lb = res$ci.lb, ci_ub = res$ci.ub,
       pi_lb = nn(p$pi.lb), pi_ub = nn(p$pi.ub), tau2 = res$tau2, se_tau2 = nn(res$se.tau2),
       I2 = res$I2, H2 = res$H2, QE = res$QE, QEp = res$QEp, vt = res$vt, s2w = res$s2w,
       ll_ML = unname(fitstats(res, REML = FALSE)[1, 1]),
       ll_REML = unname(fitstats(res, REML = TRUE)[1, 1]))
}
fits <- list()
for (m in methods) for (tst in c("z", "knha")) for (t2 in c(0.1, 0)) {
  fits[[paste(m, tst, t2, sep = "_")]] <- list(
    method = m, test = tst, tau2 = t2,
    subsets = lapply(subsets, function(s) {
      batch_block(quiet(rma(yi, vi, method = m, test = tst, tau2 = t2, subset = s)))
    }))
}
out <- c(header("rma(yi, vi, method = ..., test = ..., tau2 = ..., subset = ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi)),
              subsets = lapply(subsets, function(s) I(s)), fits = fits))
writeLines(enc(out), file.path(out_dir, "fit_batch.json"))

# ---- subgroups -------------------------------------------------------------------------
sub_block <- function(res) {
  list(k = res$k, estimate = I(unname(c(res$beta))), se = I(unname(res$se)),
       stat = I(unname(res$zval)), df = nn(res$ddf), pval = I(unname(res$pval)),
       ci_lb = I(unname(res$ci.lb)), ci_ub = I(unname(res$ci.ub)), tau2 = res$tau2,
       se_tau2 = nn(res$se.tau2), I2 = nn(res$I2), H2 = nn(res$H2), QE = res$QE,
       QEp = res$QEp, weights_pct = I(unname(weights(res))), QM = res$QM,
       QMdf = I(res$QMdf), QMp = res$QMp)
}
levels <- sort(unique(alloc))
given <- list(tau2 = list(tau2 = 0.05), weights = list(weights = ni),
              tau2_weights = list(tau2 = 0.05, weights = ni))
cases <- list()
for (m in c("REML", "DL")) for (tst in c("z", "knha")) for (g in names(given)) {
  fit <- function(...) {
    args <- c(list(yi = yi, vi = vi, method = m, test = tst, control = ctl), given[[g]], list(...))
    quiet(do.call(rma, args))
  }
  per <- lapply(levels, function(lev) sub_block(fit(subset = alloc == lev)))
  names(per) <- levels
  cases[[paste(m, tst, g, sep = "_")]] <- list(
    method = m, test = tst, tau2 = nn(given[[g]]$tau2), weights = !is.null(given[[g]]$weights),
    fits = per, model = sub_block(fit(mods = ~ factor(alloc))))
}
out <- c(header("rma(yi, vi, subset = alloc == level, ...) and rma(yi, vi, mods = ~ factor(alloc), ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi), ni = I(ni),
                          alloc = I(alloc)),
              levels = I(levels), cases = cases))
writeLines(enc(out), file.path(out_dir, "subgroups.json"))

# ---- subgroups, unweighted -------------------------------------------------------------
# rma(..., weighted = FALSE) per subgroup and for the mixed-effects model: ordinary least
# squares with the sandwich covariance over vi + tau^2 (tau^2 estimated, or given as
# 0.05; weights = ni given beside weighted = FALSE, which metafor ignores); and dat.bcg
# with the first study's vi set to 0, which the unweighted FE and HE fits still take.
unw <- list(unweighted = list(weighted = FALSE),
            unweighted_tau2 = list(weighted = FALSE, tau2 = 0.05),
            unweighted_weights = list(weighted = FALSE, weights = ni))
vi0 <- replace(vi, 1, 0)
cases <- list()
add_case <- function(name, m, tst, g, v) {
  fit <- function(...) {
    args <- c(list(yi = yi, vi = v, method = m, test = tst, control = ctl), unw[[g]], list(...))
    quiet(do.call(rma, args))
  }
  per <- lapply(levels, function(lev) sub_block(fit(subset = alloc == lev)))
  names(per) <- levels
  cases[[name]] <<- list(
    method = m, test = tst, tau2 = nn(unw[[g]]$tau2), weights = !is.null(unw[[g]]$weights),
    vi0 = !identical(v, vi), fits = per, model = sub_block(fit(mods = ~ factor(alloc))))
}
for (m in c("REML", "DL", "FE", "HE")) for (tst in c("z", "knha")) for (g in names(unw)) {
  add_case(paste(m, tst, g, sep = "_"), m, tst, g, vi)
}
for (m in c("FE", "HE")) add_case(paste(m, "z_unweighted_vi0", sep = "_"), m, "z", "unweighted", vi0)
out <- c(header("rma(yi, vi, subset = alloc == level, weighted = FALSE, ...) and rma(yi, vi, mods = ~ factor(alloc), weighted = FALSE, ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi), ni = I(ni),
                          alloc = I(alloc), vi0 = I(vi0)),
              levels = I(levels), cases = cases))
writeLines(enc(out), file.path(out_dir, "subgroups_unweighted.json"))
