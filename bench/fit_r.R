#!/usr/bin/env Rscript
# R baseline of bench/fit.sh: glm(poisson, log(exposure) offset) on the generated claims data.
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], stringsAsFactors = TRUE)
t1 <- proc.time()[["elapsed"]]
fit <- glm(claims ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + cat20 + cat50 + offset(log(exposure)),
           family = poisson, data = d)
s <- summary(fit)
t2 <- proc.time()[["elapsed"]]
cat(sprintf("r rows=%d load=%.3f fit=%.3f iterations=%d intercept=%.6f deviance=%.4f\n",
            nrow(d), t1 - t0, t2 - t1, fit$iter, coef(fit)[[1]], fit$deviance))
