# Reference values from metafor for unweighted fits, rma(..., weighted = FALSE), and fits
# with given weights, rma(..., weights = w), of data with a study whose sampling variance
# is 0.
#
# Such a study has an infinite inverse-variance weight at tau^2 = 0, but the unweighted
# fit (ordinary least squares, with the sandwich covariance over vi + tau^2) needs none:
# metafor fits it wherever its tau^2 estimator does not itself divide by vi + tau^2 (FE,
# EE, HE and SJ, estimated or given), and leaves Q, I^2 and H^2 NA and the
# log-likelihoods NaN. It stops where the estimator needs all vi > 0 (DL, PM, PMM, HS),
# where its Fisher scoring meets the infinite weight (ML, REML, EB at tau^2 = 0) and
# where Knapp and Hartung's s2w takes the inverse-variance fit (test = "knha").
#
# * fits: the estimate, its SE, test and intervals, tau^2 and its SE, Q, I^2, H^2, R^2
#   and the log-likelihoods of each fit, or the error that stops it, with the warnings
#   metafor gives; three data sets: four studies (the first of vi = 0), the same four
#   with effects so close that HE's estimate is 0, and six with one moderator;
# * predict(), leave1out() and influence() of three of the fits; confint()'s error.
#
# The fits are closed forms (compared at ``closed``) but for ML, REML and EB without
# moderators, which metafor iterates here to convergence (threshold = tol = 1e-12;
# compared at ``tight``).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_vi0_fixtures.R
# Writes tests/reference/metafor_vi0/unweighted.json and weights.json (the same fits
# with weights, and cumul() among the diagnostics) (17 significant digits; see
# fixture_json.R); NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_vi0"
dir.create(out_dir, showWarnings = FALSE)
nn <- function(x) if (is.null(x) || all(is.na(x))) NULL else x

data <- list(
  four = list(yi = c(0.1, 0.3, 0.5, 0.2), vi = c(0, 0.02, 0.03, 0.05)),
  flat = list(yi = c(0.2, 0.21, 0.19, 0.2), vi = c(0, 0.02, 0.03, 0.05)),
  mods = list(yi = c(0.1, 0.3, 0.5, 0.2, 0.45, -0.1), vi = c(0, 0.02, 0.03, 0.05, 0.01, 0.04),
              x = c(1, 2, 4, 3, 5, 2))
)

# unweighted (w = NULL) or with the given weights wts[[w]]
fit <- function(d, method, test, tau2 = NULL, w = NULL) {
  dd <- data[[d]]
  args <- list(yi = dd$yi, vi = dd$vi, method = method, test = test, weighted = FALSE,
               control = ctl)
  if (!is.null(w)) {
    args$weighted <- NULL
    args$weights <- wts[[w]]
  }
  if (!is.null(dd$x)) args$mods <- cbind(x = dd$x)
  if (!is.null(tau2)) args$tau2 <- tau2
  do.call(rma, args)
}

block <- function(d, method, test, tau2 = NULL, w = NULL) {
  r <- run(fit(d, method, test, tau2, w))
  out <- list(data = d, method = method, test = test, tau2_given = tau2,
              warnings = I(r$warnings))
  if (!is.null(w)) out <- c(out[1:4], list(weights = w), out[5])
  res <- r$res
  if (inherits(res, "err")) return(c(out, list(error = res$msg)))
  p <- if (is.null(data[[d]]$x)) predict(res) else NULL
  c(out, list(
    beta = I(unname(c(res$beta))), se = I(res$se), stat = I(unname(res$zval)),
    pval = I(res$pval), ci_lb = I(res$ci.lb), ci_ub = I(res$ci.ub),
    pi_lb = nn(p$pi.lb), pi_ub = nn(p$pi.ub), tau2 = res$tau2, se_tau2 = res$se.tau2,
    QE = res$QE, QEp = res$QEp, I2 = res$I2, H2 = res$H2, R2 = res$R2, QM = res$QM,
    ll_ML = unname(fitstats(res, REML = FALSE)[1, 1]),
    ll_REML = unname(fitstats(res, REML = TRUE)[1, 1])))
}

fits <- list()
add <- function(d, method, test, tau2 = NULL) {
  name <- paste(c(method, d, test, if (!is.null(tau2)) paste0("tau2=", tau2)), collapse = "_")
  fits[[name]] <<- block(d, method, test, tau2)
}
for (m in c("FE", "EE", "HE", "SJ", "DL", "ML", "REML", "EB", "PM", "PMM", "HS")) {
  for (d in c("four", "mods")) for (test in c("z", "t", "knha")) add(d, m, test)
}
for (m in c("FE", "HE", "SJ")) add("flat", m, "z")
for (m in c("FE", "HE", "SJ", "REML", "ML", "EB", "DL")) for (d in c("four", "mods")) add(d, m, "z", 0)

quiet <- function(expr) suppressWarnings(expr)
I0 <- function(x) if (is.null(x)) NULL else I(x)  # leave1out() of an FE model has no tau2
l1o_block <- function(l) list(estimate = I(l$estimate), se = I(l$se), pval = I(l$pval),
                              Q = I(l$Q), tau2 = I0(l$tau2), I2 = I(l$I2), H2 = I(l$H2))
inf_block <- function(inf) {
  i <- inf$inf
  list(rstudent = I(i$rstudent), dffits = I(i$dffits), cook_d = I(i$cook.d),
       cov_r = I(i$cov.r), tau2_del = I(i$tau2.del), QE_del = I(i$QE.del), hat = I(i$hat),
       weight = I(i$weight), dfbs = lapply(as.data.frame(inf$dfbs), I))
}
fe <- quiet(fit("four", "FE", "z"))
he <- quiet(fit("four", "HE", "z"))
hem <- quiet(fit("mods", "HE", "z"))
pm <- predict(hem, newmods = 3)
conf_err <- function(res) tryCatch({quiet(confint(res)); NULL}, error = function(e) conditionMessage(e))

out <- list(
  source = paste("metafor", as.character(packageVersion("metafor")), "make_vi0_fixtures.R"),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  data = lapply(data, function(d) lapply(d, I)),
  fits = fits,
  diagnostics = list(
    FE_four = list(leave1out = l1o_block(quiet(leave1out(fe))), influence = inf_block(quiet(influence(fe))),
                   confint_error = conf_err(fe)),
    HE_four = list(leave1out = l1o_block(quiet(leave1out(he))), influence = inf_block(quiet(influence(he))),
                   confint_error = conf_err(he)),
    HE_mods = list(influence = inf_block(quiet(influence(hem))), confint_error = conf_err(hem),
                   predict_x3 = list(pred = pm$pred, se = pm$se, ci_lb = pm$ci.lb, ci_ub = pm$ci.ub,
                                     pi_lb = pm$pi.lb, pi_ub = pm$pi.ub)))
)
writeLines(enc(out), file.path(out_dir, "unweighted.json"))

# ---- the same with given weights, rma(..., weights = w): weights.json ----------------
# The weighted least-squares fit, beta = (X'AX)^-1 X'A y with its sandwich covariance,
# needs no weight 1/(vi + tau^2) either, and metafor stops where it does unweighted.
# The data sets are those above, each with its weights; "zero" gives the study of
# vi = 0 weight 0 (the fit then takes the other three, its log-likelihoods still NaN).
wts <- list(four = c(1, 2, 3, 4), flat = c(1, 2, 3, 4), mods = c(1, 2, 3, 4, 2, 1),
            zero = c(0, 2, 3, 4))
wfits <- list()
wadd <- function(d, method, test, tau2 = NULL, w = d) {
  name <- paste(c(method, d, test, if (w != d) paste0("w=", w),
                  if (!is.null(tau2)) paste0("tau2=", tau2)), collapse = "_")
  wfits[[name]] <<- block(d, method, test, tau2, w)
}
for (m in c("FE", "EE", "HE", "SJ", "DL", "ML", "REML", "EB", "PM", "PMM", "HS")) {
  for (d in c("four", "mods")) for (test in c("z", "t", "knha")) wadd(d, m, test)
}
for (m in c("FE", "HE", "SJ")) wadd("flat", m, "z")
for (m in c("FE", "HE", "SJ", "REML", "ML", "EB", "DL")) for (d in c("four", "mods")) wadd(d, m, "z", 0)
for (m in c("FE", "HE", "REML")) wadd("four", m, "z", w = "zero")

cumul_block <- function(l) list(estimate = I(l$estimate), se = I(l$se), zval_infinite = I(is.infinite(l$zval)),
                                zval = I(ifelse(is.infinite(l$zval), NA, l$zval)), pval = I(l$pval),
                                ci_lb = I(l$ci.lb), ci_ub = I(l$ci.ub), tau2 = I0(l$tau2))
wfe <- quiet(fit("four", "FE", "z", w = "four"))
whe <- quiet(fit("four", "HE", "z", w = "four"))
whem <- quiet(fit("mods", "HE", "z", w = "mods"))
wpm <- predict(whem, newmods = 3)
wpf <- predict(wfe)

wout <- list(
  source = paste("metafor", as.character(packageVersion("metafor")), "make_vi0_fixtures.R"),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  data = lapply(data, function(d) lapply(d, I)),
  weights = lapply(wts, I),
  fits = wfits,
  diagnostics = list(
    FE_four = list(leave1out = l1o_block(quiet(leave1out(wfe))), influence = inf_block(quiet(influence(wfe))),
                   cumul = cumul_block(quiet(cumul(wfe))), confint_error = conf_err(wfe),
                   predict = list(pred = wpf$pred, se = wpf$se, ci_lb = wpf$ci.lb, ci_ub = wpf$ci.ub)),
    HE_four = list(leave1out = l1o_block(quiet(leave1out(whe))), influence = inf_block(quiet(influence(whe))),
                   cumul = cumul_block(quiet(cumul(whe)))),
    HE_mods = list(influence = inf_block(quiet(influence(whem))), confint_error = conf_err(whem),
                   predict_x3 = list(pred = wpm$pred, se = wpm$se, ci_lb = wpm$ci.lb, ci_ub = wpm$ci.ub,
                                     pi_lb = wpm$pi.lb, pi_ub = wpm$pi.ub)))
)
writeLines(enc(wout), file.path(out_dir, "weights.json"))
