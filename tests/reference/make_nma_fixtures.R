# Reference values for a contrast-based network meta-analysis of a binary outcome with
# multi-arm trials: metadat's dat.hasselblad1998 (counselling for smoking cessation, 24
# studies, 4 treatments, 2 three-arm trials), log odds ratios against no contact.
#
# The model and the schema are those of metafor_nma/README.md (the dat.senn2013 file):
# to.wide(ref = <reference>), escalc() of the two arms of each row, V with the variance of
# the shared baseline arm between rows of one study (Gleser & Olkin 2009, eq. 19.11;
# the help pages' calc.v + bldiag), and
#   rma.mv(yi, V, mods = ~ <non-reference treatments> - 1, random = ~ comp | study, rho = 1/2)
# fitted three ways: metafor's default nlminb optimum (fit_random), tau2 fixed at the root
# of the REML score U(tau2) = 1/2 [y'PRPy - tr(PR)] found with uniroot(tol = 1e-15)
# (fit_random_exact), and without random effects (fit_common). The league tables and
# P-scores come from fit_random and fit_common; node-splitting uses the exact REML (the
# score root for rma.mv fits, Fisher scoring with threshold 1e-12 for rma fits).
#
# dat.hasselblad1998: log odds ratios with 1/2 added to every cell of every table
# (add = 1/2, to = "all", as in the dataset's help page). Every pair of the four
# treatments is compared directly in some trial, so the Bucher block uses a directly
# compared pair (self-help vs group counselling through no contact); its `note` says so.
# The node-split comparison is self-help vs no contact, whose three trials (Gritz 1992,
# Campbell 1986, Pallonen 1994) are two-arm trials and without which the network stays
# connected. Beyond the senn2013 schema the file adds the ML fit (fit_random_ML at
# metafor's default optimum, fit_random_ML_exact at the root of the ML score).
#
# The same code also runs on dat.senn2013 with the choices of the shared reference file
# metafor_nma/dat.senn2013__MD__nma.json (made by another script), and stops unless every
# number both write agrees to 1e-9 relative: the check that this script implements the
# model the README specifies. That run writes nothing.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0):
#     Rscript tests/reference/make_nma_fixtures.R
# Writes tests/reference/metafor_nma/dat.hasselblad1998__OR__nma.json, 17 significant
# digits (see fixture_json.R); matrices are lists of rows.

suppressPackageStartupMessages({
  library(metafor)
})
stopifnot(packageVersion("metafor") == "3.8.1", packageVersion("metadat") == "1.2.0")
# to.wide's and sort()'s order: code points; for these two datasets the same as the
# ICU collation metareview follows (make_nma_order_fixtures.R)
invisible(Sys.setlocale("LC_COLLATE", "C"))
source("tests/reference/fixture_json.R")  # enc()

out_dir <- "tests/reference/metafor_nma"

rows <- function(m) lapply(seq_len(nrow(m)), function(i) I(unname(as.numeric(m[i, ]))))
test_block <- function(est, se) {
  z <- est/se
  list(estimate = est, se = se, zval = z, pval = 2 * pnorm(abs(z), lower.tail = FALSE),
       ci_lb = est - qnorm(0.975) * se, ci_ub = est + qnorm(0.975) * se)
}

# ---------------------------------------------------------------- model pieces
reml_score <- function(tau2, y, V, X, R) {
  W <- solve(V + tau2 * R)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  drop(0.5 * (t(y) %*% P %*% R %*% P %*% y - sum(diag(P %*% R))))
}
ml_score <- function(tau2, y, V, X, R) {
  W <- solve(V + tau2 * R)
  r <- y - X %*% solve(t(X) %*% W %*% X, t(X) %*% W %*% y)
  drop(0.5 * (t(r) %*% W %*% R %*% W %*% r - sum(diag(W %*% R))))
}
score_root <- function(y, V, X, R, score = reml_score) {
  if (score(0, y, V, X, R) <= 0) return(0)
  hi <- 1
  while (score(hi, y, V, X, R) > 0) hi <- 2 * hi
  uniroot(score, c(0, hi), y = y, V = V, X = X, R = R, tol = 1e-15, maxiter = 10000)$root
}
same_study <- function(study, value, diagonal) {
  k <- length(study)
  m <- matrix(0, k, k)
  for (i in 1:k) for (j in 1:k) if (i != j && study[i] == study[j]) m[i, j] <- value[i]
  diag(m) <- diagonal
  m
}
# rma.mv with the basic parameters as moderators; `comp` (one level per column pattern of
# X) makes two rows of one study correlate rho, as the help page's comparison labels do
mv <- function(y, V, X, study, tau2 = NULL, random = TRUE, method = "REML") {
  d <- data.frame(y = y, study = study, X)
  d$comp <- factor(apply(X, 1, paste, collapse = ","))
  f <- as.formula(paste("~", paste(colnames(X), collapse = " + "), "- 1"))
  if (!random) return(rma.mv(y, V, mods = f, data = d, method = method))
  if (is.null(tau2)) {
    return(rma.mv(y, V, mods = f, random = ~ comp | study, rho = 1/2, data = d, method = method))
  }
  rma.mv(y, V, mods = f, random = ~ comp | study, rho = 1/2, tau2 = tau2, data = d, method = method)
}
fit_fields <- function(res, call, stats = TRUE, random = TRUE) {
  out <- list(call = call, method = res$method, test = res$test, k = res$k, p = res$p,
              coef_names = I(rownames(res$beta)), estimate = I(as.numeric(res$beta)),
              se = I(res$se), zval = I(res$zval), pval = I(res$pval), ci_lb = I(res$ci.lb),
              ci_ub = I(res$ci.ub), vb = rows(res$vb), tau2 = if (random) res$tau2 else 0,
              tau = if (random) sqrt(res$tau2) else 0)
  if (random) out <- c(out, list(rho = res$rho, struct = res$struct[1]))
  out <- c(out, list(QE = res$QE, QE_df = res$k - res$p, QEp = res$QEp, QM = res$QM,
                     QM_df = res$QMdf[1], QMp = res$QMp, ll_ML = res$fit.stats["ll", "ML"],
                     ll_REML = res$fit.stats["ll", "REML"]))
  if (stats) {
    out <- c(out, list(n_par = res$parms,
                       AIC_REML = res$fit.stats["AIC", "REML"], BIC_REML = res$fit.stats["BIC", "REML"],
                       AIC_ML = res$fit.stats["AIC", "ML"], BIC_ML = res$fit.stats["BIC", "ML"]))
  }
  out
}
uni_fields <- function(r) {
  list(method = r$method, k = r$k, estimate = as.numeric(r$beta), se = r$se, zval = r$zval,
       pval = r$pval, ci_lb = r$ci.lb, ci_ub = r$ci.ub, tau2 = r$tau2, QE = r$QE, QEp = r$QEp)
}
tight <- list(threshold = 1e-12, maxiter = 10000)

# ---------------------------------------------------------------- one network
# spec: dat (one row per arm: study, study_label, trt and the arm statistics), ref,
# grpvars (to.wide), contrast(a1, a2) -> escalc of arm rows a1 vs a2, arm_var(arms),
# bucher = c(t1, t2), nodesplit = c(a, b), preferred (P-score direction)
network <- function(spec) {
  dat <- spec$dat
  ref <- spec$ref
  treatments <- c(ref, sort(setdiff(unique(dat$trt), ref)))
  xcols <- treatments[-1]

  wide <- to.wide(dat, study = "study", grp = "trt", ref = ref, grpvars = spec$grpvars)
  a1 <- wide[, paste0(spec$grpvars, ".1")]
  a2 <- wide[, paste0(spec$grpvars, ".2")]
  names(a1) <- names(a2) <- spec$grpvars
  es <- spec$contrast(a1, a2)
  wide$yi <- as.numeric(es$yi)
  wide$vi <- as.numeric(es$vi)
  wide <- contrmat(wide, grp1 = "trt.1", grp2 = "trt.2")
  k <- nrow(wide)
  wide$baseline_arm_variance <- spec$arm_var(a2)

  # the help page's calc.v + bldiag, and the shared-arm rule entry by entry: identical
  calc.v <- function(x) {
    v <- matrix(x$baseline_arm_variance[1], nrow = nrow(x), ncol = nrow(x))
    diag(v) <- x$vi
    v
  }
  V <- bldiag(lapply(split(wide, factor(wide$study, levels = unique(wide$study))), calc.v))
  stopifnot(identical(unname(V), same_study(wide$study, wide$baseline_arm_variance, wide$vi)))
  X <- as.matrix(wide[, xcols])
  R <- same_study(wide$study, rep(1/2, k), 1)

  # fits
  mods_txt <- paste("~", paste(xcols, collapse = " + "), "- 1")
  call_re <- paste0("rma.mv(yi, V, mods = ", mods_txt, ", random = ~ comp | study, rho = 1/2, method = \"REML\")")
  res_re <- mv(wide$yi, V, X, wide$study)
  f <- as.formula(paste("~", paste(xcols, collapse = " + "), "- 1"))
  wide$comp <- factor(wide$comp)
  stopifnot(isTRUE(all.equal(as.numeric(res_re$beta), as.numeric(
    rma.mv(yi, V, mods = f, random = ~ comp | study, rho = 1/2, data = wide)$beta), tolerance = 1e-12)))
  tau2_exact <- score_root(wide$yi, V, X, R)
  res_ex <- mv(wide$yi, V, X, wide$study, tau2 = tau2_exact)
  res_fe <- mv(wide$yi, V, X, wide$study, random = FALSE)
  fit_random <- fit_fields(res_re, call_re)
  fit_random$tau2_check <- list(
    tau2_metafor = res_re$tau2, tau2_exact = tau2_exact, diff = res_re$tau2 - tau2_exact,
    score_at_metafor = reml_score(res_re$tau2, wide$yi, V, X, R),
    score_at_exact = reml_score(tau2_exact, wide$yi, V, X, R),
    ll_REML_at_metafor = res_re$fit.stats["ll", "REML"], ll_REML_at_exact = res_ex$fit.stats["ll", "REML"],
    note = paste("tau2_metafor: rma.mv default optimiser (nlminb) result, used by fit_random, league_random",
                 "and pscores_random. tau2_exact: root of the REML score equation (uniroot, tol = 1e-15)."))

  # league tables and P-scores
  league <- function(res) {
    n <- length(treatments)
    d <- c(0, as.numeric(res$beta))
    vb <- matrix(0, n, n)
    vb[-1, -1] <- res$vb
    est <- se <- matrix(NA_real_, n, n)
    for (i in 1:n) for (j in 1:n) if (i != j) {
      est[i, j] <- d[i] - d[j]
      se[i, j] <- sqrt(vb[i, i] + vb[j, j] - 2 * vb[i, j])
    }
    # the same numbers from predict() with the contrast rows L
    L <- NULL
    for (i in 1:(n - 1)) for (j in (i + 1):n) {
      l <- numeric(n)
      l[i] <- 1
      l[j] <- -1
      L <- rbind(L, l[-1])
    }
    pr <- predict(res, newmods = L)
    up <- which(upper.tri(est), arr.ind = TRUE)
    up <- up[order(up[, 1], up[, 2]), , drop = FALSE]
    stopifnot(isTRUE(all.equal(pr$pred, est[up], tolerance = 1e-12)),
              isTRUE(all.equal(pr$se, se[up], tolerance = 1e-12)))
    z <- est/se
    pairs <- lapply(seq_len(nrow(up)), function(r) {
      i <- up[r, 1]
      j <- up[r, 2]
      c(list(treatment1 = treatments[i], treatment2 = treatments[j]), test_block(est[i, j], se[i, j]))
    })
    list(treatments = I(treatments),
         matrix_orientation = "entry [i][j] = treatment i vs treatment j (d_i - d_j); diagonal null",
         estimate = rows(est), se = rows(se), zval = rows(z),
         pval = rows(2 * pnorm(abs(z), lower.tail = FALSE)),
         ci_lb = rows(est - qnorm(0.975) * se), ci_ub = rows(est + qnorm(0.975) * se), pairs = pairs)
  }
  pscores <- function(lg) {
    n <- length(treatments)
    est <- do.call(rbind, lg$estimate)
    se <- do.call(rbind, lg$se)
    prob <- pnorm(est/se)
    list(treatments = I(treatments), prob_matrix = rows(prob),
         prob_matrix_meaning = "entry [i][j] = Phi((d_i - d_j)/se_ij) = P-value-type probability that i is larger than j",
         larger_is_better = I(rowSums(prob, na.rm = TRUE)/(n - 1)),
         smaller_is_better = I(rowSums(pnorm(-est/se), na.rm = TRUE)/(n - 1)),
         preferred_direction = spec$preferred)
  }
  league_random <- league(res_re)
  league_common <- league(res_fe)

  # Bucher: two pairwise meta-analyses, studies in dataset order
  pairwise_block <- function(t1, t2) {
    studies <- intersect(dat$study[dat$trt == t1], dat$study[dat$trt == t2])
    arm <- function(s, t) dat[dat$study == s & dat$trt == t, ]
    b1 <- do.call(rbind, lapply(studies, arm, t = t1))
    b2 <- do.call(rbind, lapply(studies, arm, t = t2))
    e <- spec$contrast(b1, b2)
    yi <- as.numeric(e$yi)
    vi <- as.numeric(e$vi)
    list(comparison = paste(t1, "vs", t2), studies = I(studies), study_labels = I(b1$study_label),
         yi = I(yi), vi = I(vi),
         REML = uni_fields(rma(yi, vi, method = "REML")),
         REML_tight = uni_fields(rma(yi, vi, method = "REML", control = tight)),
         FE = uni_fields(rma(yi, vi, method = "FE")))
  }
  bt <- spec$bucher
  direct_pair <- any(sapply(split(dat$trt, dat$study), function(t) all(bt %in% t)))
  b1 <- pairwise_block(bt[1], ref)
  b2 <- pairwise_block(bt[2], ref)
  bucher <- c(list(treatment1 = bt[1], treatment2 = bt[2], common_comparator = ref,
                   pair_directly_compared = direct_pair),
              if (!is.null(spec$bucher_note)) list(note = spec$bucher_note),
              list(formula = "d_12 = d_1C - d_2C; se = sqrt(se_1C^2 + se_2C^2); z = d_12/se; p = 2*(1 - Phi(|z|)); CI = d_12 -/+ qnorm(0.975)*se",
                   pairwise_1_vs_C = b1, pairwise_2_vs_C = b2))
  for (fit in c("REML", "REML_tight", "FE")) {
    bucher[[paste0("indirect_", fit)]] <- test_block(b1[[fit]]$estimate - b2[[fit]]$estimate,
                                                     sqrt(b1[[fit]]$se^2 + b2[[fit]]$se^2))
  }

  # node-splitting of a vs b (a minus b)
  ns_a <- spec$nodesplit[1]
  ns_b <- spec$nodesplit[2]
  split_rows <- (wide$trt.1 == ns_a & wide$trt.2 == ns_b) | (wide$trt.1 == ns_b & wide$trt.2 == ns_a)
  split_studies <- unique(dat$study[dat$study %in% wide$study[split_rows]])
  stopifnot(all(table(dat$study)[as.character(split_studies)] == 2))
  cl <- numeric(length(treatments))
  cl[treatments == ns_a] <- 1
  cl[treatments == ns_b] <- -1
  cl <- cl[-1]
  contrast_of <- function(res, l) {
    l <- c(l, numeric(length(res$beta) - length(l)))
    test_block(sum(l * res$beta), sqrt(drop(t(l) %*% res$vb %*% l)))
  }
  network_estimate <- list(REML = contrast_of(res_re, cl), REML_exact = contrast_of(res_ex, cl),
                           FE = contrast_of(res_fe, cl))
  direct_rows <- match(split_studies, wide$study[split_rows])
  direct_yi <- (ifelse(wide$trt.1[split_rows] == ns_a, 1, -1) * wide$yi[split_rows])[direct_rows]
  direct_vi <- wide$vi[split_rows][direct_rows]
  keep <- !(wide$study %in% split_studies)
  Xk <- X[keep, , drop = FALSE]
  Vk <- V[keep, keep]
  ind_re <- mv(wide$yi[keep], Vk, Xk, wide$study[keep],
               tau2 = score_root(wide$yi[keep], Vk, Xk, R[keep, keep]))
  ind_default <- mv(wide$yi[keep], Vk, Xk, wide$study[keep])
  ind_fe <- mv(wide$yi[keep], Vk, Xk, wide$study[keep], random = FALSE)
  separate <- function(dir, ind, default_tau2) {
    d <- test_block(as.numeric(dir$beta), dir$se)
    i <- contrast_of(ind, cl)
    list(direct = c(d, list(tau2 = dir$tau2, k = dir$k)),
         indirect = c(i, list(tau2 = if (is.null(default_tau2)) 0 else ind$tau2,
                              tau2_metafor_default = default_tau2)),
         difference = test_block(d$estimate - i$estimate, sqrt(d$se^2 + i$se^2)))
  }
  sep <- list(
    direct_studies = I(split_studies), direct_yi = I(direct_yi), direct_vi = I(direct_vi),
    indirect_studies = I(unique(dat$study[!(dat$study %in% split_studies)])),
    indirect_k_contrasts = sum(keep),
    REML = separate(rma(direct_yi, direct_vi, method = "REML", control = tight), ind_re, ind_default$tau2),
    FE = separate(rma(direct_yi, direct_vi, method = "FE"), ind_fe, NULL))
  ns_col <- ifelse(split_rows, ifelse(wide$trt.1 == ns_a, 1, -1), 0)
  Xs <- cbind(X, nodesplit = ns_col)
  single_fit <- function(res, default_tau2) {
    p <- length(cl) + 1
    list(estimate = I(as.numeric(res$beta)), se = I(res$se), coef_names = I(rownames(res$beta)),
         vb = rows(res$vb), tau2 = if (is.null(default_tau2)) 0 else res$tau2,
         tau2_metafor_default = default_tau2, QE = res$QE, QE_df = res$k - res$p, QEp = res$QEp,
         ll_REML = res$fit.stats["ll", "REML"], ll_ML = res$fit.stats["ll", "ML"],
         direct = contrast_of(res, c(cl, 1)), indirect = contrast_of(res, c(cl, 0)),
         difference = test_block(res$beta[p], res$se[p]))
  }
  s_default <- mv(wide$yi, V, Xs, wide$study)
  s_re <- mv(wide$yi, V, Xs, wide$study, tau2 = score_root(wide$yi, V, Xs, R))
  s_fe <- mv(wide$yi, V, Xs, wide$study, random = FALSE)
  nodesplit <- list(
    treatment1 = ns_a, treatment2 = ns_b,
    orientation = paste(ns_a, "vs", ns_b, "(treatment1 minus treatment2)"),
    studies_with_comparison = I(split_studies), all_such_studies_two_arm = TRUE,
    network_estimate = network_estimate, separate_analyses = sep,
    single_model = list(nodesplit_column = I(ns_col), REML = single_fit(s_re, s_default$tau2),
                        FE = single_fit(s_fe, NULL)))

  arm_cols <- c(list(study = I(dat$study), study_label = I(dat$study_label), treatment = I(dat$trt)),
                lapply(as.list(dat[, spec$grpvars]), I), list(arm_variance = I(spec$arm_var(dat))))
  stats_1 <- lapply(as.list(a1), I)
  stats_2 <- lapply(as.list(a2), I)
  names(stats_1) <- paste0(names(a1), "_1")
  names(stats_2) <- paste0(names(a2), "_2")
  list(
    dataset = spec$dataset, measure = spec$measure, model = "contrast-based NMA",
    metafor_version = as.character(packageVersion("metafor")),
    metadat_version = as.character(packageVersion("metadat")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    citation = spec$citation, citation_full = spec$citation_full, notes = spec$notes,
    inputs = list(
      original_columns = lapply(as.list(spec$original), I), arms = arm_cols,
      arm_columns_meaning = spec$arm_meaning,
      treatments = I(treatments), reference = ref, n_treatments = length(treatments),
      n_studies = length(unique(dat$study)), n_arms = nrow(dat),
      multi_arm_studies = I(unique(dat$study[dat$study %in% names(which(table(dat$study) > 2))]))),
    contrasts = c(
      list(k = k, study = I(wide$study), study_label = I(dat$study_label[match(wide$study, dat$study)]),
           study_index = I(match(wide$study, unique(wide$study))),
           treatment1 = I(wide$trt.1), treatment2 = I(wide$trt.2), comp = I(as.character(wide$comp)),
           design = I(wide$design)),
      stats_1, stats_2,
      list(yi = I(wide$yi), vi = I(wide$vi), baseline_arm_variance = I(wide$baseline_arm_variance),
           V = rows(V), X_columns = I(xcols), X = rows(X), re_corr = rows(R), escalc = spec$escalc,
           covariance_rule = spec$covariance_rule,
           orientation = "yi = treatment1 minus treatment2 (treatment2 = study baseline arm)")),
    fit_random = fit_random,
    fit_random_exact = fit_fields(res_ex, sub("method = \"REML\")", "tau2 = <tau2_exact>)  (tau2 fixed at the REML score root)", call_re, fixed = TRUE), stats = FALSE),
    fit_common = fit_fields(res_fe, paste0("rma.mv(yi, V, mods = ", mods_txt, ", method = \"REML\")  (no random effects = common-effect model)"), random = FALSE),
    league_random = league_random, league_common = league_common,
    pscores_random = pscores(league_random), pscores_common = pscores(league_common),
    bucher = bucher, nodesplit = nodesplit)
}

# ---------------------------------------------------------------- dat.hasselblad1998
add <- 1/2
hb <- dat.hasselblad1998
hb$study_label <- paste0(hb$authors, " (", hb$year, ")")
hasselblad <- network(list(
  dataset = "dat.hasselblad1998", measure = "OR", original = dat.hasselblad1998,
  dat = hb, ref = "no_contact", grpvars = c("xi", "ni"),
  contrast = function(a1, a2) escalc(measure = "OR", ai = a1$xi, n1i = a1$ni, ci = a2$xi, n2i = a2$ni,
                                     add = add, to = "all"),
  arm_var = function(a) 1/(a$xi + add) + 1/(a$ni - a$xi + add),
  bucher = c("self_help", "grp_counseling"), nodesplit = c("self_help", "no_contact"),
  preferred = "larger_is_better",
  bucher_note = paste("Every pair of the four treatments is compared directly in dat.hasselblad1998, so no",
                      "pair needs an indirect comparison; this block checks the computation on a directly",
                      "compared pair (self-help vs group counselling: Mothersill 1988, three arms, and",
                      "Mogielnicki 1986). The grp_counseling vs no_contact side includes the three-arm",
                      "Cottraux 1983, whose two arms give the contrast."),
  citation = "Hasselblad (1998), Med Decis Making 18(1):37-43",
  citation_full = "Hasselblad, V. (1998). Meta-analysis of multitreatment studies. Medical Decision Making, 18(1), 37-43. https://doi.org/10.1177/0272989X9801800110",
  notes = paste("Abstinence from smoking at 6 to 12 months; log odds ratios with 1/2 added to every",
                "cell of every table (add = 1/2, to = \"all\", as in the help page; two no-contact",
                "arms have 0 events). Larger odds of abstinence are better."),
  arm_meaning = "xi = events (abstinent), ni = arm size; arm_variance = 1/(xi + 1/2) + 1/(ni - xi + 1/2)",
  escalc = "escalc(measure=\"OR\", ai=xi.1, n1i=ni.1, ci=xi.2, n2i=ni.2, add=1/2, to=\"all\")",
  covariance_rule = "Cov(y_ij, y_ik) = 1/(xi + 1/2) + 1/(ni - xi + 1/2) of the shared baseline arm"))
# beyond the senn2013 schema: the ML fit, at metafor's default optimum and at the root
# of the ML score U(tau2) = 1/2 [r'WRWr - tr(WR)]
hb_fit <- function(ml_tau2 = NULL) {
  w <- to.wide(hb, study = "study", grp = "trt", ref = "no_contact", grpvars = c("xi", "ni"))
  w <- escalc(measure = "OR", ai = xi.1, n1i = ni.1, ci = xi.2, n2i = ni.2, add = add, to = "all", data = w)
  w <- contrmat(w, grp1 = "trt.1", grp2 = "trt.2")
  bv <- 1/(w$xi.2 + add) + 1/(w$ni.2 - w$xi.2 + add)
  V <- same_study(w$study, bv, w$vi)
  X <- as.matrix(w[, hasselblad$contrasts$X_columns])
  R <- same_study(w$study, rep(1/2, nrow(w)), 1)
  root <- score_root(w$yi, V, X, R, score = ml_score)
  list(default = mv(w$yi, V, X, w$study, method = "ML"), exact = mv(w$yi, V, X, w$study, tau2 = root, method = "ML"),
       root = root, score = function(t) ml_score(t, w$yi, V, X, R))
}
ml <- hb_fit()
call_ml <- sub("method = \"REML\")", "method = \"ML\")", hasselblad$fit_random$call, fixed = TRUE)
hasselblad$fit_random_ML <- c(fit_fields(ml$default, call_ml),
                              list(tau2_check = list(tau2_metafor = ml$default$tau2, tau2_exact = ml$root,
                                                     score_at_metafor = ml$score(ml$default$tau2))))
hasselblad$fit_random_ML_exact <- fit_fields(
  ml$exact, sub("method = \"ML\")", "tau2 = <tau2_exact>, method = \"ML\")  (tau2 fixed at the ML score root)",
                call_ml, fixed = TRUE), stats = FALSE)
writeLines(enc(hasselblad), file.path(out_dir, "dat.hasselblad1998__OR__nma.json"))

# ---------------------------------------------------------------- check on dat.senn2013
sn <- dat.senn2013
sn$trt <- sn$treatment
sn$study_label <- sn$study
senn <- network(list(
  dataset = "dat.senn2013", measure = "MD", original = dat.senn2013,
  dat = sn, ref = "placebo", grpvars = c("ni", "mi", "sdi"),
  contrast = function(a1, a2) escalc(measure = "MD", m1i = a1$mi, sd1i = a1$sdi, n1i = a1$ni,
                                     m2i = a2$mi, sd2i = a2$sdi, n2i = a2$ni),
  arm_var = function(a) a$sdi^2/a$ni,
  bucher = c("rosiglitazone", "miglitol"), nodesplit = c("metformin", "rosiglitazone"),
  preferred = "smaller_is_better"))
shared <- jsonlite::fromJSON(file.path(out_dir, "dat.senn2013__MD__nma.json"), simplifyVector = FALSE)
compared <- 0
differ <- character(0)
check <- function(ours, theirs, path) {
  if (is.list(theirs) && !is.null(names(theirs))) {
    for (n in intersect(names(theirs), names(ours))) check(ours[[n]], theirs[[n]], paste0(path, ".", n))
  } else if (is.list(theirs)) {
    o <- if (is.list(ours)) ours else as.list(unclass(ours))
    if (length(o) != length(theirs)) differ <<- c(differ, paste(path, "length"))
    else for (i in seq_along(theirs)) check(o[[i]], theirs[[i]], paste0(path, "[", i, "]"))
  } else if (is.numeric(theirs) && !is.null(ours)) {
    o <- as.numeric(unclass(ours))
    compared <<- compared + 1
    # tau2_check's diff and score_at_metafor are differences near 0: absolute 1e-12
    near0 <- grepl("diff$|score_at", path)
    ok <- if (near0) abs(o - theirs) <= 1e-12 else abs(o - theirs) <= 1e-9 * abs(theirs) + 1e-300
    if (!isTRUE(ok)) differ <<- c(differ, sprintf("%s: %.17g vs %.17g", path, o, theirs))
  } else if (!is.null(theirs) && !is.null(ours) && !identical(as.character(unclass(ours)), as.character(theirs))) {
    if (!grepl("call$|note$", path)) differ <<- c(differ, paste(path, "text"))
  }
}
check(senn, shared, "")
if (length(differ)) stop("dat.senn2013 differs from the shared file:\n", paste(differ, collapse = "\n"))
message(sprintf("dat.senn2013: %d numbers agree with the shared reference file to 1e-9", compared))
