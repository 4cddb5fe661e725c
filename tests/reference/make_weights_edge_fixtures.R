# Reference values from metafor for the edges of rma(weights = ...) that the fits in
# make_weights_fixtures.R do not reach:
#
# * R^2 of an equal-effects meta-regression with weights: metafor takes the adjusted R^2
#   of lm(yi ~ X, weights = weights), floored at 0, and 0 when all yi are equal. lm
#   leaves out the studies of weight 0, so they change its n (the adjustment), and an
#   uninformative moderator gives a negative adjusted R^2, reported as 0;
# * trimfill() of a model whose weights (1/ni) turn the slope of the side-choosing
#   regression rma(yi, vi, mods = sqrt(vi), weights = 1/ni) positive, where the
#   inverse-variance slope is negative: the side comes from the weighted fit;
# * cumul() of a weighted model whose first fit has only a study of weight 0 (NA), the
#   later fits going on.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_weights_edge_fixtures.R
# Writes tests/reference/metafor_weights_edge/bcg.json.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_weights_edge"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # num(), enc_compact()
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
ni <- with(dat.bcg, tpos + tneg + cpos + cneg)
ablat <- dat.bcg$ablat

# two studies given weight 0
w0 <- ni
w0[c(2, 5)] <- 0
fe_zero <- quiet(rma(bcg$yi, bcg$vi, mods = cbind(ablat), method = "FE", weights = w0))

# a moderator that explains nothing: lm's adjusted R^2 is negative
noise <- c(2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9)
adj_noise <- summary(lm(bcg$yi ~ noise, weights = ni))$adj.r.squared
stopifnot(adj_noise < 0)
fe_noise <- quiet(rma(bcg$yi, bcg$vi, mods = cbind(noise), method = "FE", weights = ni))

# all yi equal
eq_y <- rep(0.2, 5)
eq_v <- c(0.1, 0.2, 0.3, 0.4, 0.5)
eq_x <- c(1, 2, 3, 4, 6)
eq_a <- c(1, 2, 3, 4, 5)
fe_equal <- quiet(rma(eq_y, eq_v, mods = cbind(eq_x), method = "FE", weights = eq_a))

tf_w <- 1 / ni
slope_iv <- coef(quiet(rma(bcg$yi, bcg$vi, mods = sqrt(bcg$vi), control = ctl)))[2]
slope_w <- coef(quiet(rma(bcg$yi, bcg$vi, mods = sqrt(bcg$vi), weights = tf_w, control = ctl)))[2]
stopifnot(slope_iv < 0, slope_w > 0)
# trimfill's refits take its own control, not the model's: to convergence as the others
tf <- quiet(trimfill(rma(bcg$yi, bcg$vi, weights = tf_w, control = ctl), control = ctl))

# cumul() of a model whose first study has weight 0: the first fit has no study of
# positive weight and is NA; the others are fitted
cu_y <- c(0.1, 0.3, 0.2, 0.5, 0.4)
cu_v <- c(0.01, 0.02, 0.03, 0.02, 0.01)
cu_a <- c(0, 1, 1, 1, 1)
cu <- quiet(cumul(rma(cu_y, cu_v, weights = cu_a, control = ctl)))

out <- list(
  source = "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  yi = I(c(bcg$yi)), vi = I(c(bcg$vi)), ni = I(ni), ablat = I(ablat),
  R2_zero_weights = list(weights = I(w0), R2 = fe_zero$R2, estimate = I(unname(c(fe_zero$beta)))),
  R2_noise = list(mod = I(noise), adj_r2 = adj_noise, R2 = fe_noise$R2),
  R2_equal_yi = list(yi = I(eq_y), vi = I(eq_v), mod = I(eq_x), weights = I(eq_a), R2 = fe_equal$R2),
  trimfill_weights_1_over_ni = list(
    slope_iv = unname(slope_iv), slope_weighted = unname(slope_w), side = tf$side,
    k0 = tf$k0, estimate = unname(c(tf$beta)), se = tf$se, tau2 = tf$tau2,
    yi = I(c(tf$yi)), vi = I(c(tf$vi))),
  cumul_first_weight_zero = list(
    yi = I(cu_y), vi = I(cu_v), weights = I(cu_a), estimate = I(cu$estimate), se = I(cu$se),
    tau2 = I(cu$tau2)))
writeLines(enc_compact(out), file.path(out_dir, "bcg.json"))
