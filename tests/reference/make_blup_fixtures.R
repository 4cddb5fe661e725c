# Reference values for metareview's blup and ranef (metafor's blup.rma.uni and
# ranef.rma.uni) on published datasets.
#
# For each dataset and each model (without moderators and, where the data have one, with
# a moderator), fitted by REML, ML, DL and EE under the z and Knapp-Hartung tests:
# * blup(res) and ranef(res): pred, se, pi.lb, pi.ub per study, with the lines
#   print.list.rma writes ("printed", kept for REML and EE only, which the tests read);
# * the same with level = 90 for the REML and DL fits with a moderator (dat.normand1999's
#   without one).
# On dat.bcg also (the "extra_" entries): transf = exp (also of an EE model's ranef, all
# 0), level = 90 given to rma, test = "t" and "adhoc", an FE fit, a fit without
# intercept, a given tau^2, a subset, a study with a missing yi and one with a missing
# moderator (metafor's default na.action, na.omit, leaves them out with a warning), and
# the models metafor refuses (weights given, weighted = FALSE), with its message.
#
# dat.bcg: log risk ratios, moderator ablat. dat.raudenbush1985: standardised mean
# differences, moderator weeks (capped at 3, as in make_anova_fixtures.R).
# dat.normand1999: standardised mean differences, labelled by source (slab), no moderator.
# ML and REML run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_blup_fixtures.R
# Writes tests/reference/metafor_blup/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc_compact(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
out_dir <- "tests/reference/metafor_blup"
dir.create(out_dir, showWarnings = FALSE)

block <- function(b) {
  list(pred = I(as.numeric(b$pred)), se = I(as.numeric(b$se)), pi_lb = I(as.numeric(b$pi.lb)),
       pi_ub = I(as.numeric(b$pi.ub)), slab = I(as.character(b$slab)), transf = b$transf)
}

# One call of blup or ranef on the model `s`: its result and printout, or metafor's
# error, and the warnings given on the way (fitting included).
entry <- function(fit, s, fun, level = NULL, transf = NULL, print = TRUE) {
  f <- get(fun)
  r <- run({
    res <- fit(s)
    args <- list(res)
    if (!is.null(level)) args$level <- level
    if (identical(transf, "exp")) args$transf <- exp
    do.call(f, args)
  })
  fields <- list(model = s, fun = fun, level = level, transf = transf)
  if (inherits(r$res, "err")) return(c(fields, list(error = r$res$msg, warnings = I(r$warnings))))
  out <- c(fields, list(tau2 = res$tau2, result = block(r$res)))
  if (print) out$printed <- I(capture.output(print(r$res)))
  c(out, list(warnings = I(r$warnings)))
}


write_case <- function(name, source, yi, vi, ni, mods, mod_specs, slab = NULL, extra = FALSE) {
  fit <- fitter(yi, vi, mods, ni, slab)
  entries <- list()
  add <- function(id, e) entries[[id]] <<- e
  for (m in mod_specs) for (method in c("REML", "ML", "DL", "EE")) for (test in c("z", "knha")) {
    s <- spec(m, method, test)
    tag <- if (length(m)) paste(m, collapse = "+") else "none"
    for (fun in c("blup", "ranef")) {
      id <- paste(fun, tag, method, test, sep = "_")
      add(id, entry(fit, s, fun, print = method %in% c("REML", "EE")))
      if ((length(m) || length(mod_specs) == 1) && method %in% c("REML", "DL")) {
        add(paste0(id, "_level90"), entry(fit, s, fun, level = 90, print = FALSE))
      }
    }
  }
  if (extra) {
    m <- mod_specs[[length(mod_specs)]]
    ex <- list(
      transf = list(spec(m, "REML"), transf = "exp"),
      transf_knha_level90 = list(spec(m, "REML", "knha"), transf = "exp", level = 90),
      transf_EE = list(spec(m, "EE"), transf = "exp"),
      fit_level90 = list(spec(m, "REML", level = 90)),
      t = list(spec(m, "REML", "t")),
      adhoc = list(spec(m, "REML", "adhoc")),
      FE = list(spec(m, "FE")),
      no_intercept = list(spec(m, "REML", intercept = FALSE)),
      tau2 = list(spec(m, "REML", tau2 = 0.05)),
      subset = list(spec(m, "REML", subset = mods[, m[1]] > 20)),
      na_yi = list(spec(m, "REML", na_yi = 3)),
      na_mods = list(spec(m, "REML", "knha", na_mods = c(5, 9))),
      weights = list(spec(m, "REML", weights = "ni")),
      unweighted = list(spec(m, "REML", weighted = FALSE))
    )
    for (nm in names(ex)) for (fun in c("blup", "ranef")) {
      x <- ex[[nm]]
      add(paste("extra", nm, fun, sep = "_"), entry(fit, x[[1]], fun, level = x$level, transf = x$transf))
    }
  }
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)),
    ni = if (extra) I(as.numeric(ni)) else NULL,  # only the weighted fits read them
    slab = if (is.null(slab)) NULL else I(as.character(slab)),
    mods = lapply(as.list(as.data.frame(mods)), I),
    entries = entries
  )
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

nm <- escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
             data = dat.normand1999)
write_case("dat.normand1999__SMD",
           "escalc(\"SMD\", m1i, sd1i, n1i, m2i, sd2i, n2i, data = dat.normand1999); slab source",
           nm$yi, nm$vi, with(dat.normand1999, n1i + n2i), matrix(numeric(0), nrow = nrow(nm), ncol = 0),
           list(character(0)), slab = dat.normand1999$source)
