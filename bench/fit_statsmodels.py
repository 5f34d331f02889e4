"""statsmodels baseline of bench/fit.sh: GLM Poisson with log(exposure) offset on the generated claims data."""
import sys
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm

t0 = time.time()
d = pd.read_csv(sys.argv[1])
X = pd.get_dummies(d[["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "cat20", "cat50"]],
                   columns=["cat20", "cat50"], drop_first=True, dtype=float)
X = sm.add_constant(X)
t1 = time.time()
fit = sm.GLM(d["claims"], X, family=sm.families.Poisson(), offset=np.log(d["exposure"])).fit()
t2 = time.time()
print("statsmodels rows=%d load=%.3f fit=%.3f iterations=%d intercept=%.6f deviance=%.4f"
      % (len(d), t1 - t0, t2 - t1, fit.fit_history["iteration"], fit.params.iloc[0], fit.deviance))
