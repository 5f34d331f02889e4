package io.streamglm.job.operators;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamglm.job.core.Event;
import io.streamglm.job.refit.RefitOutput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.HashMap;
import java.util.Map;

/**
 * The stream job's own metrics, in a {@code streamglm} group with the model as a label (so a Prometheus scrape
 * reads {@code ..._streamglm_model_refits{model="freq"}}): refits, their latency and rows, dead letters by reason.
 * Pass-through steps in front of the sinks, so the one-operator and the sharded refits are counted alike. The
 * source counts {@code records_in} ({@link EventDeserializer}).
 */
public final class JobMetrics {
    public static final String GROUP = "streamglm";
    public static final String MODEL = "model";

    private JobMetrics() {
    }

    public static MetricGroup group(MetricGroup parent, String model) {
        return parent.addGroup(GROUP).addGroup(MODEL, model);
    }

    /** Counts refits; latency (triggered to emitted, ms) and rows per refit as histograms and last values. */
    public static final class Refits extends RichMapFunction<RefitOutput, RefitOutput> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();
        private final String model;
        private transient Counter refits;
        private transient Histogram latency;
        private transient Histogram rows;
        private transient volatile long lastLatency;
        private transient volatile long lastRows;

        public Refits(String model) {
            this.model = model;
        }

        @Override public void open(OpenContext openContext) {
            MetricGroup g = group(getRuntimeContext().getMetricGroup(), model);
            refits = g.counter("refits");
            latency = g.histogram("refit_latency_ms", new DescriptiveStatisticsHistogram(1000));
            rows = g.histogram("rows_per_refit", new DescriptiveStatisticsHistogram(1000));
            g.gauge("last_refit_latency_ms", () -> lastLatency);
            g.gauge("last_refit_rows", () -> lastRows);
        }

        @Override public RefitOutput map(RefitOutput r) throws Exception {
            refits.inc();
            lastLatency = Math.max(0, System.currentTimeMillis() - r.triggeredAtMillis());
            latency.update(lastLatency);
            lastRows = JSON.readTree(r.json()).path("rows").asLong();
            rows.update(lastRows);
            return r;
        }
    }

    /** Counts dead letters by reason ({@code malformed}, {@code late}, {@code time_out_of_range}, ...). */
    public static final class DeadLetters extends RichMapFunction<Event, Event> {
        private static final long serialVersionUID = 1L;
        private final String model;
        private transient MetricGroup group;
        private transient Map<String, Counter> byReason;

        public DeadLetters(String model) {
            this.model = model;
        }

        @Override public void open(OpenContext openContext) {
            group = group(getRuntimeContext().getMetricGroup(), model);
            byReason = new HashMap<>();
        }

        @Override public Event map(Event e) {
            byReason.computeIfAbsent(e.bad().reason(), r -> group.addGroup("reason", r).counter("dead_letters")).inc();
            return e;
        }
    }
}
