# Reference values for metareview.figures' funnel and forest of Mantel-Haenszel and Peto
# fits (metafor's funnel.rma and forest.rma of rma.mh and rma.peto objects), following
# make_funnel_fixtures.R.
#
# For each fit (rma.mh with measure OR and RR, rma.peto; on dat.bcg and on the sparse
# dat.nielweise2007, whose double-zero table has no yi, and at level 90 once):
# * funnel: the data frame funnel(res, yaxis = ...) returns (x, y, slab) for yaxis "sei",
#   "vi", "seinv" and "vinv": the studies' yi.f/vi.f (escalc's, with the fit's first
#   add/to), the study without yi left out; refline, the estimate;
# * forest: the studies' confidence intervals at the fit's level (summary.escalc of
#   yi.f/vi.f, as forest.rma computes them), the summary polygon (predict(res): the
#   estimate and its interval), also after transf = exp;
# * annotations: the study labels and annotations forest.rma passes to text() (traced),
#   without and with transf = exp;
# * residuals: rstandard(res) (rstandard.rma.mh, rstandard.rma.peto) and residuals(res)
#   "response" and "pearson", and the error of "cholesky".
# Plots are drawn to a null device (pdf(NULL)): only the returned values are kept.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_mh_plots_fixtures.R
# Writes tests/reference/metafor_funnel/mh_peto.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

out_dir <- "tests/reference/metafor_funnel"
dir.create(out_dir, showWarnings = FALSE)
pdf(NULL)

bcg <- dat.bcg
bcg$slab <- paste(bcg$author, bcg$year, sep = ", ")
nw <- dat.nielweise2007
nw$slab <- paste(nw$author, nw$year, sep = ", ")
tables <- list(
  dat.bcg = list(ai = bcg$tpos, bi = bcg$tneg, ci = bcg$cpos, di = bcg$cneg, slab = bcg$slab),
  dat.nielweise2007 = list(ai = nw$ai, n1i = nw$n1i, ci = nw$ci, n2i = nw$n2i, slab = nw$slab)
)

fit <- function(data, fn, measure, level) {
  args <- c(data, list(level = level))
  if (fn == "mh") args$measure <- measure
  suppressWarnings(do.call(if (fn == "mh") rma.mh else rma.peto, args))
}

captured <- list()
suppressMessages(trace("text.default", where = asNamespace("graphics"), print = FALSE,
                       tracer = quote(captured[[length(captured) + 1]] <<- labels)))
annotations <- function(res, ...) {
  captured <<- list()
  forest(res, ...)
  list(slab = I(captured[[2]]), text = I(captured[[3]]))
}

cases <- list()
for (ds in names(tables)) for (m in list(c("mh", "OR"), c("mh", "RR"), c("peto", "OR"))) {
  for (level in if (ds == "dat.bcg" && m[1] == "mh" && m[2] == "OR") c(95, 90) else 95) {
    data <- tables[[ds]]
    res <- fit(data, m[1], m[2], level)
    id <- paste(ds, m[1], m[2], level, sep = "_")
    funnels <- list()
    for (yaxis in c("sei", "vi", "seinv", "vinv")) {
      f <- funnel(res, yaxis = yaxis)
      funnels[[yaxis]] <- list(x = I(f$x), y = I(f$y), slab = I(f$slab))
    }
    keep <- !is.na(res$yi.f) & !is.na(res$vi.f)
    es <- summary(escalc(yi = res$yi.f[keep], vi = res$vi.f[keep]), level = res$level)
    pr <- predict(res)
    pr_exp <- predict(res, transf = exp)
    cases[[id]] <- list(
      dataset = ds, fit = m[1], measure = m[2], level = level,
      ai = I(data$ai), bi = if (is.null(data$bi)) NULL else I(data$bi),
      ci = I(data$ci), di = if (is.null(data$di)) NULL else I(data$di),
      n1i = if (is.null(data$n1i)) NULL else I(data$n1i),
      n2i = if (is.null(data$n2i)) NULL else I(data$n2i),
      slab = I(data$slab), estimate = c(res$beta)[1], refline = c(res$beta)[1],
      funnel = funnels,
      forest = list(yi = I(as.numeric(res$yi.f[keep])), ci_lb = I(es$ci.lb),
                    ci_ub = I(es$ci.ub), estimate = pr$pred, ci_lb_model = pr$ci.lb,
                    ci_ub_model = pr$ci.ub, exp_estimate = pr_exp$pred,
                    exp_ci_lb_model = pr_exp$ci.lb, exp_ci_ub_model = pr_exp$ci.ub),
      annotations = list(default = annotations(res), exp = annotations(res, transf = exp))
    )
  }
}
suppressMessages(untrace("text.default", where = asNamespace("graphics")))
invisible(dev.off())

out <- list(
  case = "mh_peto",
  source = "rma.mh(measure = OR, RR) and rma.peto of dat.bcg (tpos, tneg, cpos, cneg) and dat.nielweise2007 (ai, n1i, ci, n2i), slab paste(author, year, sep = \", \")",
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  cases = cases
)

# rstandard (metafor's rstandard.rma.mh and rstandard.rma.peto) and residuals.rma of the
# same fits: "response" (one per table pooled) and "pearson" (taken as "rstandard")
out$residuals <- list()
for (id in names(cases)) {
  c <- cases[[id]]
  res <- fit(tables[[c$dataset]], c$fit, c$measure, c$level)
  rs <- rstandard(res)
  out$residuals[[id]] <- list(
    rstandard = list(resid = I(rs$resid), se = I(rs$se), z = I(rs$z), slab = I(rs$slab)),
    response = I(unname(residuals(res))), pearson = I(unname(residuals(res, type = "pearson"))),
    cholesky_error = tryCatch({residuals(res, type = "cholesky"); NA},
                              error = function(e) conditionMessage(e)))
}
writeLines(enc(out), file.path(out_dir, "mh_peto.json"))
