# Reference values for the Paule-Mandel estimators (PM, PMM) under a small
# control = list(maxiter = ...), where metafor's uniroot stops before its tolerance.
#
# metafor runs uniroot inside try(); uniroot does not fail when it runs out of
# iterations but returns its last iterate with the warning "_NOT_ converged in N
# iteration(s)", which try() lets through: the fit goes on with that tau^2.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat, jsonlite):
#     Rscript tests/reference/make_pm_maxiter_fixtures.R
# Writes tests/reference/metafor_pm_maxiter/pm.json: per data set (yi, vi, and x for the
# meta-regression) and per method and maxiter, tau2, the coefficients (estimate), their
# se and the warnings of rma(), and for maxiter = 1 without x the leave-one-out tau2 and
# estimates (leave1out() refits with the model's
# control and keeps its warnings to itself); 17 significant digits (see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc(), run()

out_dir <- "tests/reference/metafor_pm_maxiter"
dir.create(out_dir, showWarnings = FALSE)

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
data <- list(
  # one study's weight dominates the others (vi 1e-4 against 0.1)
  dominant = list(yi = c(0.1, 0.5, 0.9, 0.3), vi = c(0.0001, 0.1, 0.1, 0.1)),
  bcg = list(yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi)),
  # a meta-regression on absolute latitude (uniroot on the residual Q)
  bcg_ablat = list(yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi), x = dat.bcg$ablat)
)

out <- list()
for (name in names(data)) {
  d <- data[[name]]
  fits <- list()
  for (method in c("PM", "PMM")) {
    for (maxiter in c(1, 2, 5, 100)) {
      ctl <- list(maxiter = maxiter)
      r <- if (is.null(d$x)) run(rma(d$yi, d$vi, method = method, control = ctl))
           else run(rma(d$yi, d$vi, mods = d$x, method = method, control = ctl))
      fit_name <- sprintf("%s_%d", method, maxiter)
      if (inherits(r$res, "err")) {
        fits[[fit_name]] <- list(error = r$res$msg, warnings = I(r$warnings))
        next
      }
      fit <- r$res
      entry <- list(method = method, maxiter = maxiter, tau2 = fit$tau2,
                    estimate = I(as.numeric(fit$b)), se = I(fit$se), warnings = I(r$warnings))
      if (maxiter == 1 && is.null(d$x)) {
        l1 <- run(leave1out(fit))
        entry$leave1out <- list(tau2 = I(l1$res$tau2), estimate = I(l1$res$estimate),
                                warnings = I(l1$warnings))
      }
      fits[[fit_name]] <- entry
    }
  }
  out[[name]] <- c(list(yi = I(d$yi), vi = I(d$vi)), if (!is.null(d$x)) list(x = I(d$x)),
                   list(fits = fits))
}

writeLines(enc(out), file.path(out_dir, "pm.json"))
