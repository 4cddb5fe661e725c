# Reference values for the order in which metafor's to.wide() takes the treatments, and
# so for which arm of a study is its baseline arm: metafor sorts the treatment labels
# with R's sort() (a factor's levels are taken as they are), moves the reference to the
# end, and takes the last treatment a study has as its baseline; studies come in the
# order of sort() too. sort() orders numbers numerically and text by the locale's
# collation: with ICU (R's default on Linux, "root" rules, also under C.UTF-8) that is
# letters ignoring case and accents first ("b" < "C" < "D"), then accents, then case
# (lower first); under LC_COLLATE=C it is code-point order ("C" < "D" < "b").
#
# Writes tests/reference/metafor_nma/order.json (17 significant digits, fixture_json.R):
#   collation: words and R's sort() of them, under the ICU root collation and under C;
#   networks: small MD networks fitted as in make_nma_fixtures.R (the help page of
#     dat.senn2013: to.wide, escalc, V from the baseline arm's sd^2/n, contrmat,
#     rma.mv(yi, V, mods = ~ <non-reference treatments> - 1, ...)): the rows of to.wide
#     (study, treatment1, treatment2), X, and the common-effect fit and the fit with
#     tau2 fixed at 0.1 (closed forms, free of the optimiser), each with ll_REML, ll_ML,
#     AIC/BIC (REML and ML) and the coefficients;
#     - "numeric": treatments coded 1, 2, 3, 10 (numbers sort numerically: 2 < 10), a
#       three-arm trial (2, 3, 10) without the reference 1, so its baseline is 10;
#     - "mixed_case": treatments A, B, C, D and b, study s7 (C, D, b) without the
#       reference A: R's baseline is D ("b" < "C" < "D"); under C it is b; studies s1,
#       S2, s10 ... sort s1 < s10 < S2 (ICU) or S2 < s1 < s10 (C);
#     - "mixed_case_C": the same under LC_COLLATE=C;
#     - "factor_levels": the same data with treatment a factor whose levels are
#       c("D", "b", "C", "B", "A"): to.wide keeps those levels, so s7's baseline is C.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1; R built with ICU):
#     Rscript tests/reference/make_nma_order_fixtures.R

suppressPackageStartupMessages({
  library(metafor)
})
stopifnot(packageVersion("metafor") == "3.8.1", capabilities("ICU"))
source("tests/reference/fixture_json.R")  # enc()
icu_locale <- Sys.getlocale("LC_COLLATE")
stopifnot(!(icu_locale %in% c("C", "POSIX")))

rows <- function(m) lapply(seq_len(nrow(m)), function(i) I(unname(as.numeric(m[i, ]))))

words <- c("b", "C", "D", "a", "A", "B", "aa", "Aa", "aA", "AA", "a b", "a_b", "a-b", "a.b",
           "a1", "A1", "a10", "a2", "ab", "x", "X", "xy", "Xy", "xY", "XY", "no contact",
           "no_contact", "No_contact", "nocontact", "none", "drug 10", "drug 2", "drug10",
           "drug2", "Drug2", "drug-2", "drug_2", "(a)", "+a", "$a", "0a", "9a", "e", "E",
           "\u00e9", "\u00c9", "\u00e8", "\u00ea", "\u00eb", "ea", "\u00e9a", "eb", "ca",
           "\u00e7a", "cb", "o", "\u00f8", "\u00f6", "oz", "n", "\u00f1", "nz")

network <- function(d, ref, treatments = NULL) {
  w <- to.wide(d, study = "study", grp = "trt", ref = ref, grpvars = c("trt", "mi", "sdi", "ni"))
  w <- escalc(measure = "MD", m1i = mi.1, sd1i = sdi.1, n1i = ni.1, m2i = mi.2, sd2i = sdi.2,
              n2i = ni.2, data = w)
  calc.v <- function(x) {
    v <- matrix(x$sdi.2[1]^2/x$ni.2[1], nrow = nrow(x), ncol = nrow(x))
    diag(v) <- x$vi
    v
  }
  # split() by the study in the order to.wide put the rows in
  V <- bldiag(lapply(split(w, factor(w$study, levels = unique(w$study))), calc.v))
  lv <- if (is.factor(d$trt)) levels(d$trt) else sort(unique(d$trt))
  if (is.null(treatments)) treatments <- c(ref, as.character(lv[as.character(lv) != ref]))
  xcols <- treatments[-1]
  k <- nrow(w)
  X <- matrix(0, k, length(xcols), dimnames = list(NULL, xcols))
  for (i in seq_len(k)) {
    t1 <- as.character(w$trt.1[i])
    t2 <- as.character(w$trt.2[i])
    if (t1 != ref) X[i, t1] <- 1
    if (t2 != ref) X[i, t2] <- -1
  }
  stats <- function(r) {
    list(estimate = I(as.numeric(r$beta)), tau2 = if (is.null(r$tau2)) 0 else r$tau2,
         n_par = r$parms, QE = r$QE, QE_df = r$k - r$p, QEp = r$QEp,
         ll_REML = r$fit.stats["ll", "REML"], ll_ML = r$fit.stats["ll", "ML"],
         AIC_REML = r$fit.stats["AIC", "REML"], BIC_REML = r$fit.stats["BIC", "REML"],
         AIC_ML = r$fit.stats["AIC", "ML"], BIC_ML = r$fit.stats["BIC", "ML"])
  }
  fe <- rma.mv(w$yi, V, mods = ~ X - 1)
  # rows of one study correlate 1/2 (comp: one level per column pattern of X)
  w$comp <- factor(apply(X, 1, paste, collapse = ","))
  fixed <- rma.mv(yi, V, mods = ~ X - 1, random = ~ comp | study, rho = 1/2, tau2 = 0.1, data = w)
  list(
    reference = ref, treatments = I(treatments),
    arms = list(study = I(as.character(d$study)), treatment = I(as.character(d$trt)),
                mi = I(d$mi), sdi = I(d$sdi), ni = I(d$ni)),
    study = I(as.character(w$study)), treatment1 = I(as.character(w$trt.1)),
    treatment2 = I(as.character(w$trt.2)), yi = I(as.numeric(w$yi)), X_columns = I(xcols),
    X = rows(X), fit_common = stats(fe), fit_tau2_fixed = stats(fixed))
}

numeric <- data.frame(
  study = c("s1", "s1", "s2", "s2", "s3", "s3", "s3", "s4", "s4", "s5", "s5", "s6", "s6"),
  trt = c(1, 2, 1, 10, 2, 3, 10, 1, 2, 2, 10, 1, 3),
  mi = c(0, 1, 0.2, 0.9, 1.1, 0.6, 0.4, 0.1, 0.7, 0.3, 0.8, 0, 0.5),
  sdi = c(1, 1.2, 1.1, 1, 1, 1.3, 1.1, 1, 1, 1, 1.1, 1, 1),
  ni = c(20, 20, 25, 25, 30, 30, 30, 40, 40, 33, 35, 50, 50))
mixed <- data.frame(
  study = c("s1", "s1", "S2", "S2", "s3", "s3", "s3", "s4", "s4", "s5", "s5", "s6", "s6",
            "s10", "s10", "s10"),
  trt = c("A", "B", "A", "C", "B", "C", "D", "A", "D", "B", "D", "A", "B", "C", "D", "b"),
  mi = c(0.1, 0.5, -0.2, 0.9, 1.1, 0.3, 0.6, 0, 0.4, 0.8, 0.2, 0.3, 0.7, 1.2, -0.1, 0.5),
  sdi = c(1, 1.2, 1.1, 1, 1, 1.3, 1.1, 1, 1, 1, 1.1, 1, 1, 1.4, 0.9, 1.2),
  ni = c(100, 100, 90, 95, 80, 85, 82, 120, 118, 70, 75, 60, 60, 150, 150, 150),
  stringsAsFactors = FALSE)
levels_given <- c("D", "b", "C", "B", "A")
as_factor <- mixed
as_factor$trt <- factor(as_factor$trt, levels = levels_given)

out <- list(
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  icu_collate = icuGetCollate(), lc_collate = icu_locale,
  collation = list(words = I(words), icu = I(sort(words))),
  networks = list(
    numeric = network(numeric, "1"),
    mixed_case = network(mixed, "A"),
    factor_levels = c(network(as_factor, "A"), list(levels = I(levels_given)))))
invisible(Sys.setlocale("LC_COLLATE", "C"))
out$collation$C <- I(sort(words))
out$networks$mixed_case_C <- network(mixed, "A")
invisible(Sys.setlocale("LC_COLLATE", icu_locale))
writeLines(enc(out), "tests/reference/metafor_nma/order.json")
