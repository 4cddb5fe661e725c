# The models of the fixture scripts that fit one rma per specification
# (make_anova_fixtures.R, make_blup_fixtures.R, make_resid_fixtures.R source it from the
# repository root, after fixture_json.R and after setting `ctl`, the solver options of
# the iterative estimators).

# A model by its specification: the moderators (names of columns of `mods`), the method,
# the test and, optionally (`...`): subset (a logical vector), intercept = FALSE,
# weights = "ni" (the studies' total sample sizes), weighted = FALSE, a given tau2, a
# level, and the 1-based studies whose yi (na_yi) or moderators (na_mods) are set NA.
spec <- function(mods, method, test = "z", ...) {
  out <- c(list(mods = I(mods), method = method, test = test), list(...))
  for (f in c("subset", "na_yi", "na_mods")) if (!is.null(out[[f]])) out[[f]] <- I(out[[f]])
  out
}

# A function fitting a specification to the studies' yi, vi, moderators, total sample
# sizes ni and labels slab (NULL: metafor's own); `quiet` muffles rma's warnings (EE with
# knha warns; the fit is what is compared).
fitter <- function(yi, vi, mods, ni, slab = NULL, quiet = FALSE) {
  function(s) {
    y <- yi
    if (!is.null(s$na_yi)) y[unclass(s$na_yi)] <- NA
    args <- list(yi = y, vi = vi, method = s$method, test = s$test)
    if (length(s$mods)) {
      M <- as.matrix(mods[, unclass(s$mods), drop = FALSE])
      if (!is.null(s$na_mods)) M[unclass(s$na_mods), ] <- NA
      args$mods <- M
    }
    if (!is.null(slab)) args$slab <- slab
    if (!is.null(s$subset)) args$subset <- unclass(s$subset)
    if (!is.null(s$intercept)) args$intercept <- s$intercept
    if (identical(s$weights, "ni")) args$weights <- ni
    if (!is.null(s$weighted)) args$weighted <- s$weighted
    if (!is.null(s$tau2)) args$tau2 <- s$tau2
    if (!is.null(s$level)) args$level <- s$level
    if (!s$method %in% c("FE", "EE", "DL")) args$control <- ctl
    if (quiet) suppressWarnings(do.call(rma, args)) else do.call(rma, args)
  }
}
