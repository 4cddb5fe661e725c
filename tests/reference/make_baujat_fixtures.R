# Reference values for metareview.figures.baujat (metafor's baujat.rma, and through it
# baujat of rma.mh and rma.peto fits).
#
# For each model, the data frame baujat(res) returns (invisibly): x, each study's
# squared Pearson residual (its contribution to Q), y, its influence on the fitted
# value (from the refit without it), ids and slab; and the axis labels baujat writes.
# * dat.bcg (log risk ratios; moderator ablat): without moderators by REML, DL, ML, FE
#   and EE, REML under Knapp-Hartung, a given tau^2, weights (the total sample sizes), a
#   subset (ablat > 20: ids that are not 1..k); with ablat by REML and FE; with a
#   dummy for the first study only, whose refit without it cannot estimate the dummy's
#   coefficient (metafor's y NA).
# * dat.hackshaw1998 (log odds ratios): REML, DL and FE, and the moderator year (centred
#   at 1990) by REML. Uncentred, x_i'b is the difference of an intercept and a slope
#   term some 2,000 times larger, and the two programs' y of a study that barely moves
#   the fit differ by ~1e-7 relative even under DL: digits lost to rounding, not a
#   difference of method.
# * rma.mh (OR, RR, RD) and rma.peto of dat.bcg, dat.yusuf1985 table 6 (double-zero
#   tables: x NA; a table of missing counts, left out) and dat.collins1985a (deaths:
#   sparse, missing counts).
# ML and REML run to convergence (threshold = tol = 1e-12); baujat's refits take the
# model's control. Plots are drawn to a null device (pdf(NULL)).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_baujat_fixtures.R
# Writes tests/reference/metafor_baujat/<dataset>.json and tables.json (17 significant
# digits; see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
out_dir <- "tests/reference/metafor_baujat"
dir.create(out_dir, showWarnings = FALSE)
pdf(NULL)

# the labels baujat passes to plot(), traced
axis_labels <- NULL
invisible(suppressMessages(trace("plot.default", where = asNamespace("graphics"), print = FALSE,
                       tracer = quote(axis_labels <<- list(xlab = xlab, ylab = ylab)))))

bj <- function(res) {
  axis_labels <<- NULL
  b <- baujat(res)
  list(x = I(b$x), y = I(b$y), ids = I(b$ids), slab = I(as.character(b$slab)),
       xlab = axis_labels$xlab, ylab = axis_labels$ylab)
}

write_models <- function(name, source, yi, vi, ni, mods, slab, specs) {
  fit <- fitter(yi, vi, mods, ni, slab = slab, quiet = TRUE)
  entries <- lapply(specs, function(s) {
    res <- fit(s)
    c(list(model = s, tau2 = res$tau2), bj(res))
  })
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)), ni = I(as.numeric(ni)),
    mods = lapply(as.list(as.data.frame(mods)), I), slab = I(slab),
    entries = entries
  )
  writeLines(enc(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
none <- character(0)
write_models(
  "dat.bcg__RR",
  "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg); mods ablat, first (1 for the first study); slab paste(author, year)",
  bcg$yi, bcg$vi, with(dat.bcg, tpos + tneg + cpos + cneg),
  cbind(ablat = dat.bcg$ablat, first = as.numeric(seq_len(nrow(dat.bcg)) == 1)),
  paste(dat.bcg$author, dat.bcg$year, sep = ", "),
  list(REML = spec(none, "REML"), DL = spec(none, "DL"), ML = spec(none, "ML"),
       FE = spec(none, "FE"), EE = spec(none, "EE"), REML_knha = spec(none, "REML", "knha"),
       tau2 = spec(none, "REML", tau2 = 0.1), weights = spec(none, "REML", weights = "ni"),
       subset = spec(none, "REML", subset = dat.bcg$ablat > 20),
       ablat_REML = spec("ablat", "REML"), ablat_FE = spec("ablat", "FE"),
       first_REML = spec("first", "REML"))
)

hk <- dat.hackshaw1998
write_models(
  "dat.hackshaw1998__OR",
  "dat.hackshaw1998 (yi, vi: log odds ratios); mods year - 1990; slab paste(author, year)",
  hk$yi, hk$vi, hk$cases, cbind(year = hk$year - 1990), paste(hk$author, hk$year, sep = ", "),
  list(REML = spec(none, "REML"), DL = spec(none, "DL"), FE = spec(none, "FE"),
       year_REML = spec("year", "REML"))
)

# ---- Mantel-Haenszel and Peto fits --------------------------------------------------
y6 <- dat.yusuf1985[dat.yusuf1985$table == "6", ]
co <- dat.collins1985a
tables <- list(
  dat.bcg = list(source = "dat.bcg: ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg",
                 ai = dat.bcg$tpos, n1i = dat.bcg$tpos + dat.bcg$tneg, ci = dat.bcg$cpos,
                 n2i = dat.bcg$cpos + dat.bcg$cneg,
                 slab = paste(dat.bcg$author, dat.bcg$year, sep = ", ")),
  dat.yusuf1985_table6 = list(source = "dat.yusuf1985[table == \"6\", ]: ai, n1i, ci, n2i",
                              ai = y6$ai, n1i = y6$n1i, ci = y6$ci, n2i = y6$n2i,
                              slab = paste(y6$id, y6$trial)),
  dat.collins1985a = list(source = "dat.collins1985a: deaths, ai = d.xti, n1i = nti, ci = d.xci, n2i = nci",
                          ai = co$d.xti, n1i = co$nti, ci = co$d.xci, n2i = co$nci,
                          slab = paste(co$trial, co$year, sep = ", "))
)
cases <- list()
for (ds in names(tables)) {
  d <- tables[[ds]]
  stopifnot(!anyDuplicated(d$slab))  # metafor would make repeated labels unique
  for (measure in c("OR", "RR", "RD", "PETO")) {
    args <- list(ai = d$ai, n1i = d$n1i, ci = d$ci, n2i = d$n2i, slab = d$slab)
    res <- if (measure == "PETO") suppressWarnings(do.call(rma.peto, args)) else
      suppressWarnings(do.call(rma.mh, c(args, list(measure = measure))))
    cases[[paste(ds, measure, sep = "_")]] <- c(
      list(dataset = ds, fit = if (measure == "PETO") "peto" else "mh", measure = measure,
           beta = c(res$beta)[1]),
      bj(res))
  }
}
suppressMessages(untrace("plot.default", where = asNamespace("graphics")))
invisible(dev.off())
out <- list(
  case = "tables",
  source = "rma.mh (OR, RR, RD) and rma.peto at metafor's defaults",
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  tables = lapply(tables, function(d) list(source = d$source, ai = I(d$ai), n1i = I(d$n1i),
                                           ci = I(d$ci), n2i = I(d$n2i), slab = I(d$slab))),
  cases = cases
)
writeLines(enc(out), file.path(out_dir, "tables.json"))
