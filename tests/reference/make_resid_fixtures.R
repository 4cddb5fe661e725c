# Reference values for metareview's residuals, rstandard and rstudent (metafor's
# residuals.rma, rstandard.rma.uni and rstudent.rma.uni), and for the significance stars
# of its print of a fit (print.rma.uni), on published datasets.
#
# For each dataset and each model (without moderators and with one), fitted by REML, DL,
# EE and FE under the z and Knapp-Hartung tests:
# * residuals(res, type) for type "response", "pearson", "cholesky", "rstandard" and
#   "rstudent";
# * rstandard(res) (type "marginal" and "conditional") and rstudent(res): resid, se, z
#   and slab, with the lines print.list.rma writes ("printed");
# * the lines print(res) writes with R's default show.signif.stars = TRUE
#   ("print_stars") and with it FALSE ("print_plain").
# On dat.bcg also (the "extra_" entries): test = "t" and "adhoc", ML, a fit without
# intercept, a given tau^2, a subset, weights (the total sample sizes), weighted = FALSE
# (rstandard's conditional residuals refused, with metafor's message), and
# print(trimfill(res)) with and without stars.
# The "stars" file: the prints of fits whose coefficients' p-values lie just either side
# of each of the stars' cutpoints (0.001, 0.01, 0.05, 0.1), where the printed p-value is
# the same and the star is not: two studies of vi = 2 and yi = q (an EE fit: estimate q,
# se 1, z = q) and a meta-regression with a t test.
#
# dat.bcg: log risk ratios, moderator ablat. dat.raudenbush1985: standardised mean
# differences, moderator weeks (capped at 3, as in make_anova_fixtures.R).
# ML and REML run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite), in a
# UTF-8 locale (R writes the legend's quotes as sQuote does there):
#     Rscript tests/reference/make_resid_fixtures.R
# Writes tests/reference/metafor_resid/<dataset>.json and stars.json (17 significant
# digits; see fixture_json.R). Printed lines keep R's spaces, the one cat() leaves at the
# end of every line of a table included.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
stopifnot(l10n_info()$`UTF-8`)
source("tests/reference/fixture_json.R")  # num(), enc_compact(), run()

options(width = 200, show.signif.stars = TRUE)
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
out_dir <- "tests/reference/metafor_resid"
dir.create(out_dir, showWarnings = FALSE)

lines_of <- function(x, ...) I(capture.output(print(x, ...)))

list_block <- function(r) {
  if (inherits(r$res, "err")) return(list(error = r$res$msg))
  x <- r$res
  list(resid = I(as.numeric(x$resid)), se = I(as.numeric(x$se)), z = I(as.numeric(x$z)),
       slab = I(as.character(x$slab)), printed = lines_of(x))
}

# Everything recorded of the model `s`.
entry <- function(fit, s) {
  res <- fit(s)
  resid <- lapply(c(response = "response", pearson = "pearson", cholesky = "cholesky",
                    rstandard = "rstandard", rstudent = "rstudent"),
                  function(type) I(as.numeric(residuals(res, type = type))))
  list(model = s, tau2 = res$tau2, pval = I(as.numeric(res$pval)), residuals = resid,
       rstandard = list_block(run(rstandard(res))),
       rstandard_conditional = list_block(run(rstandard(res, type = "conditional"))),
       rstudent = list_block(run(rstudent(res))),
       print_stars = lines_of(res),
       print_plain = lines_of(res, signif.stars = FALSE))
}

write_case <- function(name, source, yi, vi, ni, mods, mod_specs, extra = FALSE) {
  fit <- fitter(yi, vi, mods, ni, quiet = TRUE)
  entries <- list()
  for (m in mod_specs) for (method in c("REML", "DL", "EE", "FE")) for (test in c("z", "knha")) {
    tag <- if (length(m)) paste(m, collapse = "+") else "none"
    entries[[paste(tag, method, test, sep = "_")]] <- entry(fit, spec(m, method, test))
  }
  if (extra) {
    m <- mod_specs[[length(mod_specs)]]
    ex <- list(
      t = spec(m, "REML", "t"),
      adhoc = spec(m, "REML", "adhoc"),
      ML = spec(m, "ML"),
      no_intercept = spec(m, "REML", intercept = FALSE),
      tau2 = spec(m, "REML", tau2 = 0.05),
      subset = spec(m, "REML", subset = mods[, m[1]] > 20),
      weights = spec(m, "REML", weights = "ni"),
      weights_none = spec(character(0), "DL", "knha", weights = "ni"),
      unweighted = spec(m, "REML", weighted = FALSE)
    )
    for (nm in names(ex)) entries[[paste0("extra_", nm)]] <- entry(fit, ex[[nm]])
  }
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)), ni = I(as.numeric(ni)),
    mods = lapply(as.list(as.data.frame(mods)), I),
    entries = entries
  )
  if (extra) {
    res <- rma(yi, vi)  # trimfill refits under metafor's default control: fitted so here
    tf <- trimfill(res)
    out$trimfill <- list(r_call = "print(trimfill(rma(yi, vi)))", print_stars = lines_of(tf),
                         print_plain = lines_of(tf, signif.stars = FALSE))
  }
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
write_case("dat.bcg__RR",
           "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg); mods ablat",
           bcg$yi, bcg$vi, with(dat.bcg, tpos + tneg + cpos + cneg), cbind(ablat = dat.bcg$ablat),
           list(character(0), "ablat"), extra = TRUE)

rb <- dat.raudenbush1985
write_case("dat.raudenbush1985__SMD",
           "dat.raudenbush1985 (yi, vi); mods weeks capped at 3",
           rb$yi, rb$vi, rb$n1i + rb$n2i, cbind(weeks = pmin(rb$weeks, 3)),
           list(character(0), "weeks"))

# ---- stars at the cutpoints ---------------------------------------------------------
stars <- list()
for (cut in c(0.001, 0.01, 0.05, 0.1)) for (side in c(-1, 1)) {
  # z = q has p = cut (1 - side 1e-9 relative): the printed p-value rounds to the
  # cutpoint's on either side
  q <- qnorm(cut / 2, lower.tail = FALSE) * (1 + side * 1e-9)
  res <- rma(c(q, q), c(2, 2), method = "EE")
  stars[[sprintf("z_%g_%s", cut, if (side < 0) "above" else "below")]] <- list(
    yi = I(c(q, q)), vi = I(c(2, 2)), method = "EE", test = "z", pval = res$pval,
    print_stars = lines_of(res), print_plain = lines_of(res, signif.stars = FALSE))
}
# a meta-regression under the t test, whose slope's p-value is just either side of 0.05:
# yi = b x + e with e fixed and b solved for that p
x <- c(-2, -1, 0, 1, 2)
e <- c(0.3, -0.4, 0.1, 0.2, -0.1)
vi <- rep(0.1, 5)
pval_at <- function(b) rma(b * x + e, vi, mods = ~ x, method = "EE", test = "t")$pval[2]
b05 <- uniroot(function(b) pval_at(b) - 0.05, c(0.01, 2), tol = 1e-14)$root
for (side in c(-1, 1)) {
  b <- b05 * (1 + side * 1e-7)
  res <- rma(b * x + e, vi, mods = ~ x, method = "EE", test = "t")
  stars[[sprintf("t_0.05_%s", if (side < 0) "above" else "below")]] <- list(
    yi = I(b * x + e), vi = I(vi), x = I(x), method = "EE", test = "t",
    pval = I(as.numeric(res$pval)),
    print_stars = lines_of(res), print_plain = lines_of(res, signif.stars = FALSE))
}
writeLines(enc_compact(list(metafor_version = as.character(packageVersion("metafor")), cases = stars)),
           file.path(out_dir, "stars.json"))
