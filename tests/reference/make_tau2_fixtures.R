# Reference values from metafor for rma() with a fixed tau^2 (tau2 = ...) and with
# standard errors in place of variances (sei = ...).
#
# A review team fixes tau^2 for a sensitivity analysis (a value borrowed from a larger
# review, or 0) and often has standard errors rather than variances. metafor then
# estimates nothing (tau2.fix = TRUE): the weights are 1/(vi + tau2), I^2 and H^2 follow
# from the given value, se.tau2 is the estimator's formula evaluated at it, the model
# counts no variance parameter in its fit statistics, and the case diagnostics and the
# regression test refit with the same tau^2. This script fits, for
#
# * dat.bcg (log risk ratios) without moderators, with the moderator ablat and with
#   ablat and year, and two studies with two coefficients (k = p);
# * dat.normand1999 (mean differences) without moderators and with a 0/1 moderator
#   (the three Orpington studies);
#
# tau2 = 0 and a positive value, every estimator (se.tau2 differs by estimator, nothing
# else does) with the z-test and Knapp-Hartung; FE with tau2 (metafor ignores it), k = 1,
# given weights (with leave1out()),
# sei in place of vi, and on dat.bcg with tau2 = 0.1: predict(), fitstats(), leave1out(),
# cumul(), influence(), regtest() and trimfill(), and the error of confint(); DL's
# leave1out() at tau2 = 0.1; and a study with vi = 0 beside a given tau^2 (REML's fit,
# the stops of DL, HS, PM and PMM, and of k = 1 at tau2 = 0).
#
# Everything here is a closed form given tau^2 (no iteration) and is compared at the
# ``closed`` tolerance, except R^2 of a meta-regression, which divides by the estimated
# tau^2 of the model without moderators: that refit runs to convergence (threshold =
# tol = 1e-12, as in make_options_fixtures.R) and is compared at ``tight`` for the
# iterative estimators.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_tau2_fixtures.R
# Writes tests/reference/metafor_tau2/<case>.json with 17 significant digits per number
# (json.load reproduces R's doubles exactly); NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# The reference is metafor 3.8-1: another version would write other fixtures.
stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_tau2"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # num(), enc_compact()

methods <- c("REML", "ML", "DL", "PM", "PMM", "HE", "SJ", "EB", "HS")
tests <- c("z", "knha")
nn <- function(x) if (is.null(x) || all(is.na(x))) NULL else x
na <- function(x) if (is.null(x) || all(is.na(x))) NULL else I(x)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))
err <- function(expr) tryCatch({ expr; NULL }, error = function(e) conditionMessage(e))

fs_block <- function(res) {
  f <- fitstats(res, REML = FALSE)
  g <- fitstats(res, REML = TRUE)
  list(ML = I(unname(f[, 1])), REML = I(unname(g[, 1])), parms = res$parms)
}

model_block <- function(res) {
  out <- list(method = res$method, test = res$test, tau2_fix = res$tau2.fix, k = res$k,
              p = res$p, estimate = I(unname(c(res$beta))), se = I(unname(res$se)),
              stat = I(unname(res$zval)), df = nn(res$ddf[1]), pval = I(unname(res$pval)),
              ci_lb = I(unname(res$ci.lb)), ci_ub = I(unname(res$ci.ub)), tau2 = res$tau2,
              se_tau2 = nn(res$se.tau2), I2 = nn(res$I2), H2 = nn(res$H2), QE = nn(res$QE),
              QEp = nn(res$QEp), s2w = res$s2w, weights_pct = I(unname(weights(res))),
              QM = res$QM, QMdf = na(res$QMdf), QMp = res$QMp, R2 = nn(res$R2),
              fitstats = fs_block(res))
  p <- predict(res)
  out$predict <- list(pred = I(unname(c(p$pred))), se = I(unname(c(p$se))),
                      pi_lb = na(unname(c(p$pi.lb))), pi_ub = na(unname(c(p$pi.ub))))
  out
}

# the control reaches the one iterative step: R^2 of a meta-regression compares the given
# value with the estimator's tau^2 of the model without moderators, refitted with it
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

fit <- function(yi, vi, method, test, tau2, mods = NULL) {
  args <- list(yi = yi, vi = vi, method = method, test = test, tau2 = tau2, control = ctl)
  if (!is.null(mods)) args$mods <- mods
  quiet(do.call(rma, args))
}

write_case <- function(name, source, yi, vi, tau2s, mods = NULL, extra = list()) {
  fits <- list()
  for (tau2 in tau2s) for (method in methods) for (test in tests) {
    key <- paste(method, test, format(tau2), sep = "/")
    fits[[key]] <- model_block(fit(yi, vi, method, test, tau2, mods))
  }
  out <- c(list(case = name, source = source,
                metafor_version = as.character(packageVersion("metafor")),
                R_version = paste(R.version$major, R.version$minor, sep = "."),
                yi = I(c(yi)), vi = I(c(vi)), mods = if (is.null(mods)) NULL else I(c(mods)),
                mods_ncol = NCOL(mods), fits = fits), extra)
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

subset_block <- function(l) {
  list(estimate = I(l$estimate), se = I(l$se), stat = I(if (is.null(l$zval)) l$tval else l$zval),
       pval = I(l$pval), ci_lb = I(l$ci.lb), ci_ub = I(l$ci.ub), Q = I(l$Q), Qp = I(l$Qp),
       tau2 = I(l$tau2), I2 = I(l$I2), H2 = I(l$H2))
}

influence_block <- function(inf) {
  i <- inf$inf
  dfb <- lapply(unclass(inf$dfbs)[seq_len(inf$p)], I)
  if (inf$p == 1) dfb <- dfb[[1]]
  list(rstudent = I(i$rstudent), dffits = I(i$dffits), cook_d = I(i$cook.d),
       cov_r = I(i$cov.r), tau2_del = I(i$tau2.del), QE_del = I(i$QE.del), hat = I(i$hat),
       weight = I(i$weight), dfbetas = dfb)
}

# ---- dat.bcg, log risk ratios ---------------------------------------------------------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
src_bcg <- "escalc(measure = 'RR', ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)"

diag <- list()
for (test in tests) {
  res <- fit(bcg$yi, bcg$vi, "REML", test, 0.1)
  rt <- quiet(regtest(res))
  # trimfill refits with the estimator (no tau2): to convergence, as the other fixtures
  tf <- quiet(trimfill(res, control = ctl))
  diag[[test]] <- list(
    leave1out = subset_block(quiet(leave1out(res))),
    cumul = subset_block(quiet(cumul(res))),
    influence = influence_block(quiet(influence(res))),
    regtest = list(stat = unname(rt$zval), pval = unname(rt$pval), est = unname(rt$est),
                   ci_lb = unname(rt$ci.lb), ci_ub = unname(rt$ci.ub),
                   slope = unname(rt$fit$beta[2]), slope_se = unname(rt$fit$se[2]),
                   tau2 = rt$fit$tau2),
    trimfill = list(k0 = tf$k0, side = tf$side, method = tf$method, tau2_fix = tf$tau2.fix,
                    estimate = unname(c(tf$beta)), se = tf$se, tau2 = tf$tau2,
                    se_tau2 = tf$se.tau2))
}
res_sei <- quiet(rma(bcg$yi, sei = sqrt(bcg$vi), tau2 = 0.1))
res_both <- quiet(rma(bcg$yi, bcg$vi, sei = 2 * sqrt(bcg$vi)))
res_fe <- quiet(rma(bcg$yi, bcg$vi, method = "FE", tau2 = 0.1))
res_k1 <- quiet(rma(bcg$yi[1], bcg$vi[1], tau2 = 0.1))
# given weights (the studies' untreated counts) with a given tau^2: the weights set the
# coefficients, the value the sandwich variance and everything else
res_w <- quiet(rma(bcg$yi, bcg$vi, weights = bcg$tneg + bcg$cneg, tau2 = 0.1, test = "knha"))
reg <- fit(bcg$yi, bcg$vi, "REML", "z", 0.1, mods = cbind(ablat = bcg$ablat))
# a study with vi = 0 beside a given tau^2 > 0: the weights are finite, but Q, I^2 and
# H^2 (weights 1/vi) are not computed, and the estimators that need all vi > 0 stop even
# though they estimate nothing; at tau^2 = 0 even k = 1 has an infinite weight
zy <- c(0.1, 0.3, 0.35, 0.6)
zv <- c(0, 0.04, 0.02, 0.05)
zero_vi <- list(
  yi = I(zy), vi = I(zv), tau2 = 0.1, REML = model_block(fit(zy, zv, "REML", "z", 0.1)),
  errors = lapply(c(DL = "DL", HS = "HS", PM = "PM", PMM = "PMM"),
                  function(m) err(quiet(rma(zy, zv, method = m, tau2 = 0.1)))),
  k1_tau2_0_error = err(quiet(rma(0.5, 0, tau2 = 0))))
extra <- list(
  diagnostics = diag,
  sei = model_block(res_sei),
  # metafor fits vi and ignores sei when both are given; metareview refuses the call
  vi_and_sei_estimate = unname(c(res_both$beta)),
  fe_with_tau2 = model_block(res_fe),
  k1 = model_block(res_k1),
  weights_given = I(bcg$tneg + bcg$cneg),
  weighted = model_block(res_w),
  weighted_leave1out = subset_block(quiet(leave1out(res_w))),
  confint_error = err(confint(fit(bcg$yi, bcg$vi, "REML", "z", 0.1))),
  influence_metareg = influence_block(quiet(influence(reg))),
  negative_tau2_DL = quiet(rma(bcg$yi, bcg$vi * 100, method = "DL", tau2 = -0.1))$tau2,
  # DL's leave-one-out has a closed form when DL estimates tau^2, not at a given value
  dl_leave1out = subset_block(quiet(leave1out(fit(bcg$yi, bcg$vi, "DL", "z", 0.1)))),
  zero_vi = zero_vi)
write_case("bcg_RR", src_bcg, bcg$yi, bcg$vi, c(0, 0.1), extra = extra)
write_case("bcg_RR_ablat", src_bcg, bcg$yi, bcg$vi, c(0, 0.1), mods = cbind(ablat = bcg$ablat))
# year centred at 1960, as in make_options_fixtures.R: with years near 1950 beside the
# intercept, metafor's k x k products lose digits (QE 6e-11 relative)
write_case("bcg_RR_ablat_year", src_bcg, bcg$yi, bcg$vi, c(0, 0.1),
           mods = cbind(ablat = bcg$ablat, year = bcg$year - 1960))
# k = p: no residual degrees of freedom, allowed with a fixed tau^2 (not at tau2 = 0,
# where metafor's ML and REML step halving, `while (tau2 + adj < tau2.min)`, never ends)
write_case("bcg_RR_k2_p2", paste(src_bcg, "studies 1-2"), bcg$yi[1:2], bcg$vi[1:2], c(0.05),
           mods = cbind(ablat = bcg$ablat[1:2]))

# ---- dat.normand1999, mean differences ------------------------------------------------
nor <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
              n2i = n2i, data = dat.normand1999)
src_nor <- paste("escalc(measure = 'MD', m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i,",
                 "sd2i = sd2i, n2i = n2i, data = dat.normand1999)")
write_case("normand_MD", src_nor, nor$yi, nor$vi, c(0, 100))
write_case("normand_MD_source", src_nor, nor$yi, nor$vi, c(0, 100),
           mods = cbind(orpington = as.numeric(grepl("Orpington", nor$source))))
