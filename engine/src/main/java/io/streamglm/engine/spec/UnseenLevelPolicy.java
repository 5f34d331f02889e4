package io.streamglm.engine.spec;

import java.util.Locale;

/** What to do with a categorical level that the fitted design does not know. */
public enum UnseenLevelPolicy {
    /** Reject the record (dead letter in streams, error in files). */
    ERROR,
    /** Treat it as the base level: zero contribution. */
    BASE,
    /** Give a null prediction. */
    NULL;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
