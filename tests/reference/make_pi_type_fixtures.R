# Reference values from metafor for predict(..., pi.type = "riley") and "t" of fits with
# a given tau^2 (rma(..., tau2 = ...)).
#
# Riley et al.'s prediction interval takes its t quantile on k - p - 1 degrees of
# freedom: metafor's ddf - parms + p, where parms counts the coefficients and tau^2. A
# given tau^2 is not a parameter (parms = p, as in fit.stats), so the interval of such a
# fit takes k - p degrees of freedom. The fits: six studies, intercept-only and with one
# moderator (predicting at two new values), tau^2 given as 0.05 and 0, tests z and
# knha, each with pi.type "riley" and "t"; and the same models with tau^2 estimated by
# REML (run to convergence), whose Riley interval takes k - p - 1.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_pi_type_fixtures.R
# Writes tests/reference/metafor_pi_type/tau2.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_pi_type"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc_compact()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
yi <- c(0.1, 0.3, 0.5, 0.2, 0.6, -0.1)
vi <- c(0.02, 0.03, 0.05, 0.01, 0.04, 0.03)
x <- c(1, 3, 4, 2, 6, 1)
newmods <- c(2.5, 5)

fits <- list()
for (tau2 in list(0.05, 0, NULL)) for (mods in c(FALSE, TRUE)) for (test in c("z", "knha")) {
  args <- list(yi = yi, vi = vi, test = test, control = ctl)
  if (!is.null(tau2)) args$tau2 <- tau2
  if (mods) args$mods <- cbind(x = x)
  res <- do.call(rma, args)
  for (pi_type in c("riley", "t")) {
    pr <- if (mods) predict(res, newmods = newmods, pi.type = pi_type) else predict(res, pi.type = pi_type)
    name <- paste(if (is.null(tau2)) "REML" else paste0("tau2=", tau2), if (mods) "mods" else "int",
                  test, pi_type, sep = "/")
    fits[[name]] <- list(tau2_given = if (!is.null(tau2)) tau2, mods = mods, test = test,
                         pi_type = pi_type, parms = res$parms, tau2 = res$tau2,
                         pred = I(c(pr$pred)), pi_lb = I(c(pr$pi.lb)), pi_ub = I(c(pr$pi.ub)))
  }
}

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  yi = I(yi), vi = I(vi), x = I(x), newmods = I(newmods), fits = fits)
writeLines(enc_compact(out), file.path(out_dir, "tau2.json"))
