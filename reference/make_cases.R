#!/usr/bin/env Rscript
# Generates streamglm's own R reference fits under reference/cases/<name>/: data.csv, spec.json and
# expected.json in the format of ../shared/reference (see its README). The expected values come from R itself
# (stats::glm, MASS::glm.nb, statmod::tweedie, sandwich::vcovHC); nothing here is typed by hand.
#
#   Rscript reference/make_cases.R            # from the repository root; needs r-base-core, r-cran-mass,
#                                             # r-cran-statmod, r-cran-sandwich (Debian packages)
#
# The data sets are synthetic and seeded, so the script is reproducible; the tests read the committed files and
# never need R.
suppressPackageStartupMessages({
  library(MASS)
  library(statmod)
  library(sandwich)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_root <- file.path(dirname(normalizePath(script)), "cases")
dir.create(out_root, showWarnings = FALSE, recursive = TRUE)

num <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
}
str_json <- function(s) paste0("\"", gsub("\"", "\\\\\"", s), "\"")

# R column name -> streamglm column name, from R's own coding decisions (attr(terms, "factors"): 1 = contrasts,
# 2 = indicators; without an intercept the first factor of the first term holding one gets indicators).
streamglm_names <- function(fit, data, rename = character(0)) {
  mm <- model.matrix(fit)
  assign <- attr(mm, "assign")
  tt <- terms(fit)
  fac <- attr(tt, "factors")
  labels <- attr(tt, "term.labels")
  has_intercept <- attr(tt, "intercept") == 1
  first_factor_term <- NA
  if (!has_intercept) {
    for (t in seq_along(labels)) {
      vars <- rownames(fac)[fac[, t] > 0]
      if (any(sapply(vars, function(v) is.factor(data[[v]])))) { first_factor_term <- t; break }
    }
  }
  out <- character(ncol(mm))
  for (j in seq_len(ncol(mm))) {
    if (assign[j] == 0) { out[j] <- "Intercept"; next }
    t <- assign[j]
    vars <- rownames(fac)[fac[, t] > 0]
    parts <- strsplit(colnames(mm)[j], ":", fixed = TRUE)[[1]]
    first_factor_seen <- FALSE
    names_j <- character(length(parts))
    for (k in seq_along(parts)) {
      v <- vars[k]
      spline <- regmatches(v, regexec("^(bs|ns)\\(([^,)]+)", v))[[1]]
      if (length(spline) == 3) {
        names_j[k] <- paste0(spline[2], "(", spline[3], ")[", substring(parts[k], nchar(v) + 1), "]")
      } else if (v %in% names(rename)) {
        names_j[k] <- rename[[v]]
      } else if (is.factor(data[[v]])) {
        level <- substring(parts[k], nchar(v) + 1)
        dummy <- fac[v, t] == 2
        if (!is.na(first_factor_term) && t == first_factor_term && !first_factor_seen) dummy <- TRUE
        first_factor_seen <- TRUE
        names_j[k] <- if (dummy) paste0(v, "[", level, "]") else paste0(v, "[T.", level, "]")
      } else {
        names_j[k] <- v
      }
    }
    out[j] <- paste(names_j, collapse = ":")
  }
  out
}

write_case <- function(name, data, spec_json, fit, extra = list(), robust = TRUE, dispersion = NULL,
                       rename = character(0)) {
  # A reference must be a fit R finishes: a path that wanders for 25 iterations is no reference.
  if (!fit$converged) stop("case ", name, " did not converge in R; choose better-behaved data")
  dir <- file.path(out_root, name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE)
  writeLines(spec_json, file.path(dir, "spec.json"))
  s <- if (is.null(dispersion)) summary(fit) else summary(fit, dispersion = dispersion)
  tab <- coef(s)
  cf <- coef(fit)
  nm <- streamglm_names(fit, data, rename)
  hc <- list()
  # With zero prior weights sandwich's hat values (n_ok of them) are recycled against n residuals, so its HC2
  # and HC3 are not meaningful there; only HC0 and HC1 are kept for those cases.
  types <- if (any(fit$prior.weights == 0)) c("HC0", "HC1") else c("HC0", "HC1", "HC2", "HC3")
  if (robust) for (type in types) hc[[type]] <- sqrt(diag(vcovHC(fit, type = type)))
  coef_lines <- character(0)
  for (j in seq_along(cf)) {
    rn <- names(cf)[j]
    if (is.na(cf[j])) {
      fields <- c("\"estimate\": null", "\"std_error\": null", "\"statistic\": null", "\"p_value\": null")
    } else {
      row <- tab[rn, ]
      fields <- c(paste0("\"estimate\": ", num(row[1])), paste0("\"std_error\": ", num(row[2])),
                  paste0("\"statistic\": ", num(row[3])), paste0("\"p_value\": ", num(row[4])))
      if (robust) for (type in names(hc)) fields <- c(fields, paste0("\"robust_se_", type, "\": ", num(hc[[type]][rn])))
    }
    coef_lines <- c(coef_lines, paste0("    ", str_json(nm[j]), ": {", paste(fields, collapse = ", "), "}"))
  }
  ll <- tryCatch(as.numeric(logLik(fit)), error = function(e) NA)
  aic <- if (is.null(fit$aic) || is.na(fit$aic)) NA else AIC(fit)
  head5 <- paste(sapply(head(fitted(fit), 5), num), collapse = ", ")
  lines <- c("{",
    paste0("  \"case\": ", str_json(name), ","),
    paste0("  \"source\": \"R ", R.version$major, ".", R.version$minor, " reference/make_cases.R\","),
    paste0("  \"n\": ", nrow(data), ","),
    paste0("  \"family\": ", str_json(fit$family$family), ","),
    paste0("  \"link\": ", str_json(fit$family$link), ","),
    paste0("  \"converged\": ", tolower(as.character(fit$converged)), ","),
    paste0("  \"iterations\": ", fit$iter, ","),
    "  \"coefficients\": {", paste(coef_lines, collapse = ",\n"), "  },",
    paste0("  \"aliased\": [", paste(sapply(nm[is.na(cf)], str_json), collapse = ", "), "],"),
    paste0("  \"deviance\": ", num(fit$deviance), ","),
    paste0("  \"null_deviance\": ", num(fit$null.deviance), ","),
    paste0("  \"df_residual\": ", fit$df.residual, ","),
    paste0("  \"df_null\": ", fit$df.null, ","),
    paste0("  \"dispersion\": ", num(s$dispersion), ","),
    paste0("  \"pearson_chi2\": ", num(sum(residuals(fit, type = "pearson")^2)), ","),
    paste0("  \"aic\": ", num(aic), ","),
    paste0("  \"log_likelihood\": ", num(ll), ","))
  for (k in names(extra)) lines <- c(lines, paste0("  \"", k, "\": ", num(extra[[k]]), ","))
  lines <- c(lines, paste0("  \"fitted_head\": [", head5, "]"), "}")
  writeLines(lines, file.path(dir, "expected.json"))
  cat(sprintf("%-40s n=%6d  dev=%.6g  iter=%d\n", name, nrow(data), fit$deviance, fit$iter))
}

spec <- function(response, family, terms, link = NULL, extra = character(0), interactions = NULL) {
  fields <- c(paste0("\"response\": ", str_json(response)), paste0("\"family\": ", str_json(family)))
  if (!is.null(link)) fields <- c(fields, paste0("\"link\": ", str_json(link)))
  fields <- c(fields, extra, paste0("\"terms\": {", paste(terms, collapse = ", "), "}"))
  if (!is.null(interactions)) fields <- c(fields, paste0("\"interactions\": [", paste(interactions, collapse = ", "), "]"))
  paste0("{\n  ", paste(fields, collapse = ",\n  "), "\n}")
}
lin <- function(v) paste0(str_json(v), ": {\"type\": \"linear\"}")
cat_term <- function(v, levels) paste0(str_json(v), ": {\"type\": \"categorical\", \"levels\": [",
                                        paste(sapply(levels, str_json), collapse = ", "), "]}")
r_link <- c(identity = "identity", log = "log", logit = "logit", probit = "probit", cloglog = "cloglog",
            inverse = "inverse", inverse_squared = "1/mu^2", sqrt = "sqrt")

base_data <- function(n, seed) {
  set.seed(seed)
  data.frame(x1 = round(runif(n), 4), x2 = round(rnorm(n), 4),
             g = factor(sample(c("a", "b", "c"), n, replace = TRUE), levels = c("a", "b", "c")))
}
g_eff <- c(a = 0, b = 0.3, c = -0.2)
terms3 <- c(lin("x1"), lin("x2"), cat_term("g", c("a", "b", "c")))

# ---- every family x link R allows -------------------------------------------------------------------------
fit_case <- function(name, family_spec, link, fam, d, extra_spec = character(0), robust = TRUE) {
  sp <- spec("y", family_spec, terms3, link = link, extra = extra_spec)
  fit <- glm(y ~ x1 + x2 + g, family = fam, data = d)
  write_case(name, d, sp, fit, robust = robust)
}

n <- 300
for (lk in c("identity", "log", "inverse")) {
  d <- base_data(n, 11)
  eta <- switch(lk, identity = 2 + d$x1 - 0.5 * d$x2 + g_eff[d$g], log = 0.5 + 0.6 * d$x1 - 0.2 * d$x2 + g_eff[d$g],
                inverse = 0.8 + 0.4 * d$x1 + 0.05 * d$x2 + g_eff[d$g] / 4)
  mu <- switch(lk, identity = eta, log = exp(eta), inverse = 1 / eta)
  d$y <- round(mu * exp(rnorm(n, sd = 0.15)), 5)
  fit_case(paste0("gaussian_", lk), "gaussian", lk, gaussian(link = r_link[[lk]]), d)
}
for (fam in c("poisson", "quasipoisson")) for (lk in c("log", "identity", "sqrt")) {
  d <- base_data(n, 21)
  mu <- switch(lk, log = exp(1 + 0.5 * d$x1 - 0.3 * d$x2 + g_eff[d$g]), identity = 10 + 3 * d$x1 + 0.5 * d$x2 + 2 * g_eff[d$g],
               sqrt = (2 + d$x1 + 0.2 * d$x2 + g_eff[d$g])^2)
  d$y <- if (fam == "poisson") rpois(n, mu) else rnbinom(n, mu = mu, size = 3)
  fit_case(paste0(fam, "_", lk), fam, lk, get(fam)(link = r_link[[lk]]), d)
}
for (fam in c("binomial", "quasibinomial")) for (lk in c("logit", "probit", "cloglog", "log")) {
  d <- base_data(n, 31)
  p <- switch(lk, logit = plogis(-0.3 + d$x1 - 0.6 * d$x2 + g_eff[d$g]), probit = pnorm(-0.2 + 0.7 * d$x1 - 0.4 * d$x2 + g_eff[d$g]),
              cloglog = 1 - exp(-exp(-0.5 + 0.8 * d$x1 - 0.3 * d$x2 + g_eff[d$g])),
              log = exp(-1.6 + 0.6 * d$x1 - 0.1 * abs(d$x2) + g_eff[d$g] / 2))
  if (fam == "binomial") {
    d$y <- rbinom(n, 1, p)
    fit_case(paste0(fam, "_", lk), fam, lk, binomial(link = r_link[[lk]]), d)
  } else {
    d$trials <- sample(5:20, n, replace = TRUE)
    d$y <- rbinom(n, d$trials, pmin(0.99, pmax(0.01, p * exp(rnorm(n, sd = 0.3))))) / d$trials
    sp <- spec("y", fam, terms3, link = lk, extra = "\"weights\": \"trials\"")
    fit <- glm(y ~ x1 + x2 + g, family = quasibinomial(link = r_link[[lk]]), weights = trials, data = d)
    write_case(paste0(fam, "_", lk, "_proportions"), d, sp, fit)
  }
}
for (lk in c("inverse", "log", "identity")) {
  d <- base_data(n, 41)
  mu <- switch(lk, inverse = 1 / (0.5 + 0.3 * d$x1 + 0.05 * d$x2 + g_eff[d$g] / 5), log = exp(0.7 + 0.5 * d$x1 - 0.2 * d$x2 + g_eff[d$g]),
               identity = 3 + 2 * d$x1 + 0.3 * d$x2 + g_eff[d$g])
  d$y <- round(rgamma(n, shape = 4, scale = mu / 4), 6)
  fit_case(paste0("gamma_", lk), "gamma", lk, Gamma(link = r_link[[lk]]), d)
}
for (lk in c("inverse_squared", "inverse", "log", "identity")) {
  d <- base_data(n, 51)
  mu <- switch(lk, inverse_squared = 1 / sqrt(0.6 + 0.3 * d$x1 + 0.05 * d$x2 + g_eff[d$g] / 5),
               inverse = 1 / (0.6 + 0.3 * d$x1 + 0.05 * d$x2 + g_eff[d$g] / 5), log = exp(0.3 + 0.4 * d$x1 - 0.1 * d$x2 + g_eff[d$g]),
               identity = 2 + d$x1 + 0.2 * d$x2 + g_eff[d$g])
  d$y <- round(rinvgauss(n, mean = mu, shape = 8), 6)
  fit_case(paste0("inverse_gaussian_", lk), "inverse_gaussian", lk, inverse.gaussian(link = r_link[[lk]]), d)
}

# ---- Tweedie (statmod), several powers and power links ------------------------------------------------------
rcpg <- function(mu, phi, p) {
  lambda <- mu^(2 - p) / (phi * (2 - p)); alpha <- (2 - p) / (p - 1); scale <- phi * (p - 1) * mu^(p - 1)
  k <- rpois(length(mu), lambda)
  ifelse(k == 0, 0, rgamma(length(mu), shape = pmax(k, 1) * alpha, scale = scale))
}
tweedie_case <- function(name, p, lk, link_power, seed, phi = 1.2) {
  d <- base_data(n, seed)
  mu <- switch(lk, log = exp(0.4 + 0.6 * d$x1 - 0.3 * d$x2 + g_eff[d$g]), identity = 6 + 2 * d$x1 + 0.3 * d$x2 + g_eff[d$g],
               sqrt = (3 + 0.5 * d$x1 + 0.1 * d$x2 + g_eff[d$g] / 2)^2, inverse = 1 / (0.4 + 0.2 * d$x1 + 0.03 * d$x2 + g_eff[d$g] / 10))
  d$y <- if (p < 2) round(rcpg(mu, phi, p), 6) else round(rgamma(n, shape = 3, scale = mu / 3), 6)
  sp <- spec("y", "tweedie", terms3, link = lk, extra = paste0("\"var_power\": ", p))
  fit <- glm(y ~ x1 + x2 + g, family = tweedie(var.power = p, link.power = link_power), data = d)
  write_case(name, d, sp, fit)
}
tweedie_case("tweedie_p1.5_log", 1.5, "log", 0, 61)
tweedie_case("tweedie_p1.3_identity", 1.3, "identity", 1, 62, phi = 0.3)
tweedie_case("tweedie_p1.7_sqrt", 1.7, "sqrt", 0.5, 63, phi = 0.3)
tweedie_case("tweedie_p2.5_log", 2.5, "log", 0, 64)
tweedie_case("tweedie_p1.5_inverse", 1.5, "inverse", -1, 65)

# ---- negative binomial: theta by ML (glm.nb) for each link, and fixed theta --------------------------------
for (lk in c("log", "sqrt", "identity")) {
  d <- base_data(400, 71)
  mu <- switch(lk, log = exp(1.2 + 0.5 * d$x1 - 0.3 * d$x2 + g_eff[d$g]), sqrt = (2 + d$x1 + 0.2 * d$x2 + g_eff[d$g])^2,
               identity = 5 + 3 * d$x1 + 0.5 * d$x2 + 2 * g_eff[d$g])
  d$y <- rnegbin(400, mu, 2.5)
  sp <- spec("y", "negbinomial", terms3, link = lk)
  fit <- glm.nb(y ~ x1 + x2 + g, data = d, link = lk)
  write_case(paste0("negbinomial_ml_", lk), d, sp, fit, extra = list(theta = fit$theta, theta_se = fit$SE.theta))
}
d <- base_data(300, 72)
d$y <- rnegbin(300, exp(1 + 0.4 * d$x1 + g_eff[d$g]), 1.5)
fit <- glm(y ~ x1 + x2 + g, family = negative.binomial(1.5), data = d)
# streamglm treats the negative binomial dispersion as fixed at 1 (as summary.negbin), so R's summary is asked
# for the same.
write_case("negbinomial_fixed_theta", d, spec("y", "negbinomial", terms3, extra = "\"theta\": 1.5"), fit,
           extra = list(theta = 1.5), dispersion = 1)

# ---- prior weights with zeros, offsets, exposure ----------------------------------------------------------
d <- base_data(250, 81)
d$w <- sample(c(0, 0.5, 1, 2, 3), 250, replace = TRUE)
d$y <- round(1 + 2 * d$x1 - d$x2 + g_eff[d$g] + rnorm(250) / sqrt(pmax(d$w, 0.5)), 5)
write_case("gaussian_weights_with_zeros", d, spec("y", "gaussian", terms3, extra = "\"weights\": \"w\""),
           glm(y ~ x1 + x2 + g, family = gaussian, weights = w, data = d))
d <- base_data(250, 82)
d$w <- sample(c(0, 1, 2, 5), 250, replace = TRUE)
d$y <- rpois(250, exp(0.8 + 0.5 * d$x1 + g_eff[d$g]))
write_case("poisson_weights_with_zeros", d, spec("y", "poisson", terms3, extra = "\"weights\": \"w\""),
           glm(y ~ x1 + x2 + g, family = poisson, weights = w, data = d))
d <- base_data(250, 83)
d$trials <- sample(c(0, 1, 3, 10, 25), 250, replace = TRUE)
d$y <- ifelse(d$trials == 0, 0, rbinom(250, d$trials, plogis(-0.5 + d$x1 + g_eff[d$g])) / pmax(d$trials, 1))
write_case("binomial_proportions_weights", d, spec("y", "binomial", terms3, extra = "\"weights\": \"trials\""),
           glm(y ~ x1 + x2 + g, family = binomial, weights = trials, data = d))
d <- base_data(250, 84)
d$w <- sample(c(0, 1, 2), 250, replace = TRUE)
d$y <- round(rgamma(250, shape = 3, scale = exp(0.5 + 0.5 * d$x1 + g_eff[d$g]) / 3), 6)
write_case("gamma_log_weights_with_zeros", d, spec("y", "gamma", terms3, link = "log", extra = "\"weights\": \"w\""),
           glm(y ~ x1 + x2 + g, family = Gamma(link = "log"), weights = w, data = d))

d <- base_data(300, 91)
d$off <- round(log(runif(300, 0.2, 3)), 6)
d$y <- rpois(300, exp(d$off + 0.3 + 0.5 * d$x1 - 0.2 * d$x2 + g_eff[d$g]))
write_case("poisson_offset", d, spec("y", "poisson", terms3, extra = "\"offset\": \"off\""),
           glm(y ~ x1 + x2 + g + offset(off), family = poisson, data = d))
d <- base_data(300, 92)
d$expo <- round(runif(300, 0.1, 2), 4)
d$y <- rpois(300, d$expo * exp(0.9 + 0.5 * d$x1 - 0.2 * d$x2 + g_eff[d$g]))
write_case("poisson_exposure", d, spec("y", "poisson", terms3, extra = "\"exposure\": \"expo\""),
           glm(y ~ x1 + x2 + g + offset(log(expo)), family = poisson, data = d))
d <- base_data(300, 93)
d$expo <- round(runif(300, 0.1, 2), 4)
d$y <- rnegbin(300, d$expo * exp(1.1 + 0.5 * d$x1 + g_eff[d$g]), 2)
fit <- glm.nb(y ~ x1 + x2 + g + offset(log(expo)), data = d)
write_case("negbinomial_ml_exposure", d, spec("y", "negbinomial", terms3, extra = "\"exposure\": \"expo\""), fit,
           extra = list(theta = fit$theta, theta_se = fit$SE.theta))
d <- base_data(300, 94)
d$off <- round(rnorm(300, sd = 0.3), 6)
d$y <- round(rgamma(300, shape = 5, scale = exp(d$off + 0.5 + 0.4 * d$x1 + g_eff[d$g]) / 5), 6)
write_case("gamma_log_offset", d, spec("y", "gamma", terms3, link = "log", extra = "\"offset\": \"off\""),
           glm(y ~ x1 + x2 + g + offset(off), family = Gamma(link = "log"), data = d))
d <- base_data(300, 95)
d$off <- round(rnorm(300, sd = 0.5), 6)
d$y <- rbinom(300, 1, plogis(d$off - 0.2 + d$x1 + g_eff[d$g]))
write_case("binomial_offset", d, spec("y", "binomial", terms3, extra = "\"offset\": \"off\""),
           glm(y ~ x1 + x2 + g + offset(off), family = binomial, data = d))

# ---- aliased columns ----------------------------------------------------------------------------------------
d <- base_data(200, 101)
d$x3 <- d$x1 + 2 * d$x2
d$y <- round(1 + d$x1 - d$x2 + g_eff[d$g] + rnorm(200), 5)
write_case("gaussian_aliased_linear", d, spec("y", "gaussian", c(terms3[1:2], lin("x3"), terms3[3])),
           glm(y ~ x1 + x2 + x3 + g, family = gaussian, data = d))
d <- base_data(240, 102)
d$h <- factor(sample(c("u", "v"), 240, replace = TRUE), levels = c("u", "v"))
d <- d[!(d$g == "c" & d$h == "v"), ]
d$y <- rpois(nrow(d), exp(1 + 0.3 * d$x1 + g_eff[d$g] + 0.2 * (d$h == "v")))
write_case("poisson_aliased_empty_cell", d,
           spec("y", "poisson", c(lin("x1"), cat_term("g", c("a", "b", "c")), cat_term("h", c("u", "v"))),
                interactions = "{\"g\": {}, \"h\": {}, \"include_main\": false}"),
           glm(y ~ x1 + g + h + g:h, family = poisson, data = d))

# ---- interactions and no intercept --------------------------------------------------------------------------
d <- base_data(300, 111)
d$h <- factor(sample(c("u", "v"), 300, replace = TRUE), levels = c("u", "v"))
d$y <- rpois(300, exp(0.6 + 0.5 * d$x1 + g_eff[d$g] + 0.4 * d$x1 * (d$g == "b") + 0.1 * d$x1 * d$x2 + 0.2 * (d$h == "v")))
write_case("poisson_interactions", d,
           spec("y", "poisson", c(lin("x1"), lin("x2")), interactions = c(
             "{\"g\": {\"type\": \"categorical\", \"levels\": [\"a\", \"b\", \"c\"]}, \"x1\": {}, \"include_main\": true}",
             "{\"x1\": {}, \"x2\": {}, \"include_main\": false}",
             "{\"g\": {}, \"h\": {\"type\": \"categorical\", \"levels\": [\"u\", \"v\"]}, \"x2\": {}, \"include_main\": false}")),
           glm(y ~ x1 + x2 + g + g:x1 + x1:x2 + g:h:x2, family = poisson, data = d))
d <- base_data(300, 112)
d$h <- factor(sample(c("u", "v"), 300, replace = TRUE), levels = c("u", "v"))
d$y <- round(2 + d$x1 + g_eff[d$g] + 0.5 * (d$h == "v") + rnorm(300), 5)
write_case("gaussian_no_intercept", d,
           spec("y", "gaussian", c(lin("x1"), cat_term("g", c("a", "b", "c")), cat_term("h", c("u", "v"))),
                extra = "\"intercept\": false"),
           glm(y ~ x1 + g + h - 1, family = gaussian, data = d))

# ---- a tight epsilon ------------------------------------------------------------------------------------------
d <- base_data(300, 121)
d$y <- rbinom(300, 1, plogis(-0.3 + d$x1 - 0.6 * d$x2 + g_eff[d$g]))
write_case("binomial_epsilon_1e-12", d,
           spec("y", "binomial", terms3, extra = "\"control\": {\"epsilon\": 1e-12, \"max_iterations\": 50}"),
           glm(y ~ x1 + x2 + g, family = binomial, data = d, control = glm.control(epsilon = 1e-12, maxit = 50)))
d <- base_data(300, 122)
d$y <- round(rgamma(300, shape = 2, scale = exp(0.5 + 0.5 * d$x1 + g_eff[d$g]) / 2), 6)
write_case("gamma_inverse_epsilon_1e-12", d,
           spec("y", "gamma", terms3, extra = "\"control\": {\"epsilon\": 1e-12, \"max_iterations\": 50}"),
           glm(y ~ x1 + x2 + g, family = Gamma, data = d, control = glm.control(epsilon = 1e-12, maxit = 50)))

# ---- a 100k-row fit -------------------------------------------------------------------------------------------
set.seed(131)
N <- 100000
d <- data.frame(x1 = round(rnorm(N), 3), x2 = round(runif(N), 3),
                region = factor(sample(sprintf("r%02d", 1:10), N, replace = TRUE), levels = sprintf("r%02d", 1:10)),
                vehicle = factor(sample(c("A", "B", "C", "D", "E"), N, replace = TRUE), levels = c("A", "B", "C", "D", "E")),
                expo = round(runif(N, 0.05, 1), 3))
reff <- seq(-0.3, 0.3, length.out = 10); veff <- c(0, 0.1, 0.25, -0.1, 0.4)
d$claims <- rpois(N, d$expo * exp(-1.5 + 0.2 * d$x1 - 0.3 * d$x2 + reff[d$region] + veff[d$vehicle]))
write_case("poisson_100k_exposure", d,
           spec("claims", "poisson", c(lin("x1"), lin("x2"), cat_term("region", levels(d$region)),
                                       cat_term("vehicle", levels(d$vehicle))), extra = "\"exposure\": \"expo\""),
           glm(claims ~ x1 + x2 + region + vehicle + offset(log(expo)), family = poisson, data = d))

# ---- the term catalogue: splines, expressions --------------------------------------------------------------
spline_term <- function(v, type, df = NULL, degree = NULL, knots = NULL, boundary = NULL) {
  f <- c(paste0("\"type\": ", str_json(type)))
  if (!is.null(df)) f <- c(f, paste0("\"df\": ", df))
  if (!is.null(degree)) f <- c(f, paste0("\"degree\": ", degree))
  if (!is.null(knots)) f <- c(f, paste0("\"knots\": [", paste(sprintf("%.17g", knots), collapse = ", "), "]"))
  if (!is.null(boundary)) f <- c(f, paste0("\"boundary_knots\": [", paste(sprintf("%.17g", boundary), collapse = ", "), "]"))
  paste0(str_json(v), ": {", paste(f, collapse = ", "), "}")
}
expr_term <- function(key, expr) paste0(str_json(key), ": {\"type\": \"expression\", \"expr\": ", str_json(expr), "}")
library(splines)

d <- base_data(400, 141)
d$y <- rbinom(400, 1, plogis(-0.5 + sin(3 * d$x1) + g_eff[d$g]))
write_case("binomial_bs_degree2", d,
           spec("y", "binomial", c(spline_term("x1", "bs", df = 5, degree = 2), cat_term("g", c("a", "b", "c")))),
           glm(y ~ bs(x1, df = 5, degree = 2) + g, family = binomial, data = d))

d <- base_data(300, 142)
d$y <- round(1 + sin(4 * d$x1) + 0.3 * d$x2 + rnorm(300, sd = 0.3), 5)
write_case("gaussian_ns_explicit_knots", d,
           spec("y", "gaussian", c(spline_term("x1", "ns", knots = c(0.3, 0.6)), lin("x2"))),
           glm(y ~ ns(x1, knots = c(0.3, 0.6)) + x2, family = gaussian, data = d))

d <- base_data(500, 143)
d$y <- rpois(500, exp(0.5 + ifelse(d$g == "a", sin(3 * d$x1), ifelse(d$g == "b", 0.5 * d$x1, -d$x1)) + g_eff[d$g]))
write_case("poisson_spline_by_categorical", d,
           spec("y", "poisson", c(spline_term("x1", "bs", df = 4), cat_term("g", c("a", "b", "c"))),
                interactions = "{\"x1\": {}, \"g\": {}, \"include_main\": true}"),
           glm(y ~ bs(x1, df = 4) * g, family = poisson, data = d))

d <- base_data(400, 144)
d$y <- round(exp(0.3 + 0.5 * d$x1 + 0.2 * d$x1 * d$x2) * exp(rnorm(400, sd = 0.2)), 6)
write_case("gamma_ns_by_linear", d,
           spec("y", "gamma", c(spline_term("x1", "ns", df = 3), lin("x2")), link = "log",
                interactions = "{\"x1\": {}, \"x2\": {}, \"include_main\": false}"),
           glm(y ~ ns(x1, df = 3) + x2 + ns(x1, df = 3):x2, family = Gamma(link = "log"), data = d))

d <- base_data(300, 145)
d$x3 <- round(runif(300, 0.5, 5), 4)
d$y <- round(1 + 0.8 * log(d$x3) + 2 * d$x1^2 + 0.5 * (d$x1 > 0.5) + g_eff[d$g] + rnorm(300, sd = 0.3), 5)
write_case("gaussian_expressions", d,
           spec("y", "gaussian", c(expr_term("log_x3", "log(x3)"), lin("x1"), expr_term("x1_sq", "x1 ** 2"),
                                   expr_term("x1_high", "x1 > 0.5"), cat_term("g", c("a", "b", "c")))),
           glm(y ~ I(log(x3)) + x1 + I(x1^2) + I(x1 > 0.5) + g, family = gaussian, data = d),
           rename = c("I(log(x3))" = "log_x3", "I(x1^2)" = "x1_sq", "I(x1 > 0.5)" = "x1_high"))

d <- base_data(300, 146)
d$y <- rbinom(300, 1, plogis(-0.2 + sin(4 * d$x1)))
write_case("binomial_bs_boundary_knots", d,
           spec("y", "binomial", c(spline_term("x1", "bs", knots = c(0.25, 0.5, 0.75), boundary = c(-0.1, 1.1)), lin("x2"))),
           glm(y ~ bs(x1, knots = c(0.25, 0.5, 0.75), Boundary.knots = c(-0.1, 1.1)) + x2, family = binomial, data = d))

set.seed(147)
N <- 100000
d <- data.frame(x1 = round(rnorm(N), 3), x2 = round(runif(N, 18, 80), 2),
                region = factor(sample(sprintf("r%02d", 1:8), N, replace = TRUE), levels = sprintf("r%02d", 1:8)),
                expo = round(runif(N, 0.05, 1), 3))
d$claims <- rpois(N, d$expo * exp(-1.8 + 0.3 * sin(d$x1) + 0.0004 * (d$x2 - 45)^2 + seq(-0.2, 0.2, length.out = 8)[d$region]))
write_case("poisson_100k_splines", d,
           spec("claims", "poisson", c(spline_term("x1", "bs", df = 6), spline_term("x2", "ns", df = 4),
                                       cat_term("region", levels(d$region))), extra = "\"exposure\": \"expo\""),
           glm(claims ~ bs(x1, df = 6) + ns(x2, df = 4) + region + offset(log(expo)), family = poisson, data = d))
