# Reference values for metareview.figures (metafor's funnel.rma and forest.rma) on dat.bcg.
#
# For each model (REML, FE, DL and REML under Knapp-Hartung, without and with the
# moderator ablat; one REML fit at level 90):
# * funnel: the data frame funnel(res, yaxis = ...) returns invisibly (x, y, slab) for
#   yaxis "sei", "vi", "seinv" and "vinv": the observed effects, or for a model with
#   moderators the residuals of rstandard(res) with their standard errors, and the
#   reference line (the estimate, or 0 with moderators) the pseudo-confidence region is
#   centred on;
# * forest (models without moderators): what forest(res) draws, the studies' confidence
#   intervals (summary.escalc at the model's level, as forest.rma computes them), the
#   summary polygon (estimate, ci.lb, ci.ub) and, for random-effects models, the
#   prediction interval addpred draws (predict(res)); also after transf = exp.
# * forest_annotations: the text forest(res) writes on the right (annotate = TRUE), by
#   the study labels it writes beside them, and the model's last; also after
#   transf = exp. Read from forest.rma's own calls of text() (traced), so the padding
#   of each column (formatC(width =) over the studies and the model) is metafor's.
# * forest_addpred_default: forest.rma's default addpred (formals).
# Plots are drawn to a null device (pdf(NULL)): only the returned values are kept.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_funnel_fixtures.R
# Writes tests/reference/metafor_funnel/dat.bcg__RR.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_funnel"
dir.create(out_dir, showWarnings = FALSE)
pdf(NULL)

dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg,
              slab = paste(author, year, sep = ", "))

fit <- function(method, test, mods, level) {
  args <- list(yi = dat$yi, vi = dat$vi, method = method, test = test, level = level,
               slab = attr(dat$yi, "slab"))
  if (mods) args$mods <- cbind(ablat = dat$ablat)
  if (method %in% c("ML", "REML")) args$control <- ctl
  do.call(rma, args)
}

forest_block <- function(res) {
  es <- summary(escalc(yi = dat$yi, vi = dat$vi), level = res$level)
  pr <- predict(res)
  pr_exp <- predict(res, transf = exp)
  forest(res, addpred = TRUE)  # draws without error with the prediction interval
  list(yi = I(as.numeric(dat$yi)), ci_lb = I(es$ci.lb), ci_ub = I(es$ci.ub),
       estimate = pr$pred, ci_lb_model = pr$ci.lb, ci_ub_model = pr$ci.ub,
       pi_lb = if (is.null(pr$pi.lb)) NA else pr$pi.lb,
       pi_ub = if (is.null(pr$pi.ub)) NA else pr$pi.ub,
       exp_estimate = pr_exp$pred, exp_ci_lb_model = pr_exp$ci.lb,
       exp_ci_ub_model = pr_exp$ci.ub,
       exp_pi_lb = if (is.null(pr_exp$pi.lb)) NA else pr_exp$pi.lb,
       exp_pi_ub = if (is.null(pr_exp$pi.ub)) NA else pr_exp$pi.ub)
}

cases <- list()
for (mods in c(FALSE, TRUE)) for (m in list(c("REML", "z"), c("FE", "z"), c("DL", "z"),
                                          c("REML", "knha"))) {
  for (level in if (m[1] == "REML" && m[2] == "z") c(95, 90) else 95) {
    res <- fit(m[1], m[2], mods, level)
    id <- paste(m[1], m[2], if (mods) "ablat" else "none", level, sep = "_")
    funnels <- list()
    for (yaxis in c("sei", "vi", "seinv", "vinv")) {
      f <- funnel(res, yaxis = yaxis)
      funnels[[yaxis]] <- list(x = I(f$x), y = I(f$y), slab = I(f$slab))
    }
    case <- list(method = m[1], test = m[2], mods = if (mods) I("ablat") else I(character(0)),
                 level = level, estimate = c(res$beta)[1], tau2 = res$tau2,
                 refline = if (mods) 0 else c(res$beta)[1], funnel = funnels)
    if (!mods) case$forest <- forest_block(res)
    cases[[id]] <- case
  }
}
# the labels and annotations forest.rma passes to text(): its second call writes the
# study labels, its third the annotations (the studies in the same order, the model last)
captured <- list()
suppressMessages(trace("text.default", where = asNamespace("graphics"), print = FALSE,
                       tracer = quote(captured[[length(captured) + 1]] <<- labels)))
annotations <- function(res, ...) {
  captured <<- list()
  forest(res, ...)
  list(slab = I(captured[[2]]), text = I(captured[[3]]))
}
forest_annotations <- list()
for (id in names(cases)) if (!is.null(cases[[id]]$forest)) {
  c <- cases[[id]]
  res <- fit(c$method, c$test, FALSE, c$level)
  forest_annotations[[id]] <- list(default = annotations(res), exp = annotations(res, transf = exp))
}
suppressMessages(untrace("text.default", where = asNamespace("graphics")))
invisible(dev.off())

out <- list(
  case = "dat.bcg__RR",
  source = "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg, slab = paste(author, year, sep = \", \")); mods ablat",
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  control = ctl,
  yi = I(as.numeric(dat$yi)), vi = I(as.numeric(dat$vi)), ablat = I(dat$ablat),
  slab = I(attr(dat$yi, "slab")),
  cases = cases,
  forest_annotations = forest_annotations,
  forest_addpred_default = formals(metafor:::forest.rma)$addpred
)
writeLines(enc(out), file.path(out_dir, "dat.bcg__RR.json"))
