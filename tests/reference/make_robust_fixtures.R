# Reference values for metareview.robust (metafor's robust.rma.uni) on published datasets
# with several estimates per cluster.
#
# For each dataset, fits without and with moderators by several tau^2 estimators (and EE)
# under the z test, and robust(res, cluster = ..., adjust = TRUE / FALSE) of each, the
# default path (clubSandwich = FALSE):
# * entries: the robust fit's coefficients, robust se, t statistics, p-values, intervals,
#   var-cov matrix (by rows), omnibus F test, df (clusters - p), number of clusters,
#   estimates per cluster and var-cov estimator (CR1 or CR0), the meat of dat.berkey1998's
#   fits (by rows; k = 10, the others' would fill the files), the lines print() writes
#   ("printed", at width 200 with significance stars) and predict() of the robust fit
#   (the fitted values, and for some fits new moderator values and pi.type = "riley");
#   also knha fits, a subset, missing values (metafor leaves those studies out; the
#   cluster variable keeps the original data's length), weights, weighted = FALSE, a
#   given tau^2, no intercept, and each estimate its own cluster;
# * checks: what metafor refuses (a cluster variable of the wrong length, one cluster,
#   no more clusters than coefficients, a missing cluster among the studies fitted),
#   with its message, and a missing cluster among studies left out, which it accepts.
#
# dat.konstantopoulos2011: SMDs of schools, clustered by district; mods year - 1990.
# dat.assink2016: SMDs, clustered by study; mods deltype (dummies overt and covert against
#   general) and year (already centred in metadat).
# dat.bornmann2007: log odds ratios of an award, women against men (escalc "OR"),
#   clustered by study; mods grey (doctype == "Grey") and year - 2000; weights the total
#   numbers of applicants.
# dat.berkey1998: mean differences of two outcomes (PD, AL) per trial, clustered by trial
#   (also by author, and by made-up clusters of unequal sizes); mods outcomePD (1 for PD),
#   outcomeAL and year - 1980; weights the trials' sizes ni.
# Iterative estimators run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_robust_fixtures.R
# Writes tests/reference/metafor_robust/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
options(width = 200, show.signif.stars = TRUE)
out_dir <- "tests/reference/metafor_robust"
dir.create(out_dir, showWarnings = FALSE)

robust_block <- function(r) {
  list(beta = I(as.numeric(r$beta)), se = I(as.numeric(r$se)), zval = I(as.numeric(r$zval)),
       pval = I(as.numeric(r$pval)), ci_lb = I(as.numeric(r$ci.lb)), ci_ub = I(as.numeric(r$ci.ub)),
       vb = I(as.vector(t(r$vb))), QM = r$QM, QMdf = I(r$QMdf), QMp = r$QMp, dfs = r$dfs,
       n = r$n, k = r$k, p = r$p, tcl = I(as.integer(r$tcl)), vbest = r$vbest, tau2 = r$tau2,
       btt = I(r$btt), coef_names = I(rownames(r$beta)), test = r$test,
       # the k x k meat (e_i e_j within clusters, 0 across) of the small data only
       meat = if (r$k <= 10) I(as.vector(t(r$meat))) else NULL)
}

predict_block <- function(p) {
  na <- function(x) if (is.null(x)) NULL else I(as.numeric(x))
  list(pred = na(p$pred), se = na(p$se), ci_lb = na(p$ci.lb), ci_ub = na(p$ci.ub),
       pi_lb = na(p$pi.lb), pi_ub = na(p$pi.ub))
}

# One call of robust: the fields that describe it, its result, printout and predictions
# (or metafor's error), and the warnings given on the way.
entry <- function(fields, res, cl, adjust, newmods = NULL) {
  # the cluster values themselves in the call (do.call): robust() looks a name up in the
  # model's data and the caller's frame, which run()'s tryCatch is not
  r <- run(do.call(robust, list(res, cluster = cl, adjust = adjust)))
  if (inherits(r$res, "err")) return(c(fields, list(error = r$res$msg, warnings = I(r$warnings))))
  rob <- r$res
  out <- c(fields, list(result = robust_block(rob), printed = I(capture.output(print(rob))),
                        warnings = I(r$warnings), predict = predict_block(predict(rob))))
  if (!is.null(newmods)) {
    out$newmods <- I(as.vector(t(newmods)))
    out$newmods_ncol <- ncol(newmods)
    out$predict_new <- predict_block(predict(rob, newmods = newmods))
    out$predict_riley <- predict_block(predict(rob, newmods = newmods, pi.type = "riley"))
  }
  out
}

# clusters: named list of cluster variables, each of the original data's length.
write_case <- function(name, source, yi, vi, ni, mods, clusters, cases, checks) {
  fit <- fitter(yi, vi, mods, ni, quiet = TRUE)
  entries <- list()
  for (id in names(cases)) {
    cs <- cases[[id]]
    res <- fit(cs$model)
    for (adjust in c(TRUE, FALSE)) {
      fields <- list(model = cs$model, cluster = cs$cluster, adjust = adjust)
      entries[[paste(id, if (adjust) "adj" else "noadj", sep = "_")]] <-
        entry(fields, res, clusters[[cs$cluster]], adjust, cs$newmods)
    }
  }
  chk <- list()
  for (id in names(checks)) {
    cs <- checks[[id]]
    res <- fit(cs$model)
    chk[[id]] <- entry(list(model = cs$model, cluster = cs$cluster, adjust = TRUE), res,
                       clusters[[cs$cluster]], TRUE)
  }
  enc_cluster <- function(x) if (is.character(x)) I(x) else I(as.numeric(x))
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    call = "robust(res, cluster = clusters[[cluster]], adjust = adjust); predict(robust fit)",
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)), ni = I(as.numeric(ni)),
    mods = lapply(as.list(as.data.frame(mods)), I),
    clusters = lapply(clusters, enc_cluster),
    entries = entries, checks = chk
  )
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

# the fits of a dataset: intercept-only and with moderators `full` under `methods`, each
# with newmods rows for the moderator fits
standard <- function(full, methods, newmods, cluster) {
  cases <- list()
  for (m in methods) {
    cases[[paste0(m, "_int")]] <- list(model = spec(character(0), m), cluster = cluster)
    cases[[paste0(m, "_mods")]] <- list(model = spec(full, m), cluster = cluster, newmods = newmods)
  }
  cases
}

# ---------------------------------------------------------------- konstantopoulos2011
ko <- dat.konstantopoulos2011
ko_mods <- cbind(year = ko$year - 1990)
ko_cases <- standard("year", c("REML", "DL", "EE", "ML", "PM", "SJ"), rbind(-10, 5), "district")
ko_cases$REML_knha_int <- list(model = spec(character(0), "REML", "knha"), cluster = "district")
ko_cases$REML_knha_mods <- list(model = spec("year", "REML", "knha"), cluster = "district",
                                newmods = rbind(-10, 5))
ko_cases$REML_subset <- list(model = spec("year", "REML", subset = ko$year >= 1980), cluster = "district")
ko_cases$REML_na_yi <- list(model = spec("year", "REML", na_yi = c(3, 20, 41)), cluster = "district")
ko_cases$REML_own <- list(model = spec(character(0), "REML"), cluster = "study")
ko_clusters <- list(district = ko$district, study = ko$study,
                    short = ko$district[-1], one = rep(7, nrow(ko)),
                    two = ifelse(ko$district < 60, 1, 2),
                    na_kept = replace(ko$district, 5, NA),
                    na_dropped = replace(ko$district, 3, NA))
ko_checks <- list(
  short = list(model = spec(character(0), "REML"), cluster = "short"),
  one = list(model = spec(character(0), "REML"), cluster = "one"),
  two_mods = list(model = spec("year", "REML"), cluster = "two"),
  two_int = list(model = spec(character(0), "REML"), cluster = "two"),
  na_kept = list(model = spec(character(0), "REML"), cluster = "na_kept"),
  na_subset = list(model = spec(character(0), "REML", subset = seq_len(nrow(ko)) != 5), cluster = "na_kept"),
  na_dropped = list(model = spec(character(0), "REML", na_yi = 3), cluster = "na_dropped"),
  short_subset = list(model = spec(character(0), "REML", subset = seq_len(nrow(ko)) != 1), cluster = "short")
)
write_case("dat.konstantopoulos2011",
           "dat.konstantopoulos2011 (yi, vi); cluster district (also study: each estimate its own); mods year - 1990",
           ko$yi, ko$vi, rep(1, nrow(ko)), ko_mods, ko_clusters, ko_cases, ko_checks)

# ---------------------------------------------------------------------- assink2016
as <- dat.assink2016
as_mods <- cbind(deltypeovert = as.numeric(as$deltype == "overt"),
                 deltypecovert = as.numeric(as$deltype == "covert"), year = as$year)
as_full <- c("deltypeovert", "deltypecovert", "year")
as_new <- rbind(c(0, 0, 0), c(1, 0, -5), c(0, 1, 3))
as_cases <- standard(as_full, c("REML", "DL", "EE", "HE", "HS", "EB", "PMM"), as_new, "study")
as_cases$REML_knha_mods <- list(model = spec(as_full, "REML", "knha"), cluster = "study", newmods = as_new)
as_cases$REML_adhoc_mods <- list(model = spec(as_full, "REML", "adhoc"), cluster = "study")
as_cases$REML_t_int <- list(model = spec(character(0), "REML", "t"), cluster = "study")
as_cases$REML_unweighted <- list(model = spec(as_full, "REML", weighted = FALSE), cluster = "study")
as_cases$tau2_given <- list(model = spec(as_full, "REML", tau2 = 0.05), cluster = "study")
as_cases$REML_na_mods <- list(model = spec(as_full, "REML", na_mods = c(1, 50)), cluster = "study")
as_cases$REML_subset <- list(model = spec(as_full[-2], "REML", subset = as$deltype != "covert"), cluster = "study")
write_case("dat.assink2016",
           "dat.assink2016 (yi, vi); cluster study; mods deltype dummies overt, covert (against general), year",
           as$yi, as$vi, rep(1, nrow(as)), as_mods, list(study = as$study), as_cases, list())

# -------------------------------------------------------------------- bornmann2007
bo <- escalc("OR", ai = waward, n1i = wtotal, ci = maward, n2i = mtotal, data = dat.bornmann2007)
bo_mods <- cbind(grey = as.numeric(bo$doctype == "Grey"), year = bo$year - 2000)
bo_ni <- bo$wtotal + bo$mtotal
bo_new <- rbind(c(1, -5), c(0, 3))
bo_cases <- standard(c("grey", "year"), c("REML", "DL", "EE"), bo_new, "study")
bo_cases$REML_knha_int <- list(model = spec(character(0), "REML", "knha"), cluster = "study")
bo_cases$REML_weights <- list(model = spec(c("grey", "year"), "REML", weights = "ni"), cluster = "study",
                              newmods = bo_new)
bo_cases$EE_weights_int <- list(model = spec(character(0), "EE", weights = "ni"), cluster = "study")
bo_cases$DL_subset <- list(model = spec("year", "DL", subset = bo$gender %in% c("F", "M")), cluster = "study")
write_case("dat.bornmann2007",
           "escalc(\"OR\", ai = waward, n1i = wtotal, ci = maward, n2i = mtotal, data = dat.bornmann2007); cluster study; mods grey = doctype == \"Grey\", year - 2000; weights wtotal + mtotal",
           bo$yi, bo$vi, bo_ni, bo_mods, list(study = bo$study), bo_cases, list())

# ---------------------------------------------------------------------- berkey1998
be <- dat.berkey1998
be_mods <- cbind(outcomePD = as.numeric(be$outcome == "PD"), outcomeAL = as.numeric(be$outcome == "AL"),
                 year = be$year - 1980)
be_cases <- standard("outcomePD", c("REML", "DL", "EE"), rbind(0, 1), "trial")
be_cases$REML_knha_mods <- list(model = spec("outcomePD", "REML", "knha"), cluster = "trial")
be_cases$REML_year <- list(model = spec(c("outcomePD", "year"), "REML"), cluster = "trial")
be_cases$REML_no_intercept <- list(model = spec(c("outcomePD", "outcomeAL"), "REML", intercept = FALSE),
                                   cluster = "trial")
be_cases$REML_weights <- list(model = spec("outcomePD", "REML", weights = "ni"), cluster = "trial")
be_cases$FE_unweighted <- list(model = spec("outcomePD", "FE", weighted = FALSE), cluster = "trial")
be_clusters <- list(trial = be$trial, three = c(1, 1, 1, 1, 2, 2, 2, 2, 3, 3), author = be$author,
                    uneven = c(1, 1, 1, 2, 2, 3, 3, 3, 3, 4))
be_cases$REML_three <- list(model = spec("outcomePD", "REML"), cluster = "three")
be_cases$REML_author <- list(model = spec("outcomePD", "REML"), cluster = "author")
# clusters of 3, 2, 4 and 1 estimates: print gives the median 2.5
be_cases$REML_uneven <- list(model = spec("outcomePD", "REML"), cluster = "uneven")
be_checks <- list(
  three_p3 = list(model = spec(c("outcomePD", "year"), "REML"), cluster = "three")
)
write_case("dat.berkey1998",
           "dat.berkey1998 (yi, vi, ni); cluster trial (also author, and three made-up clusters); mods outcomePD = outcome == \"PD\", outcomeAL, year - 1980",
           be$yi, be$vi, be$ni, be_mods, be_clusters, be_cases, be_checks)
