package io.streamglm.job.replay;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The replay's progress on the terminal: records read (of how many, when the files were counted), windows fitted,
 * rate and time left. On a terminal one line is rewritten every second; into a file or pipe a line is written
 * every ten seconds, so logs stay readable.
 */
public final class ProgressDisplay implements AutoCloseable {
    private final PrintStream out;
    private final long total;
    private final Supplier<String> stage;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param total records expected, or -1 when unknown
     * @param stage what the driver is doing besides reading (windows fitted, the pass number), may be empty
     */
    public ProgressDisplay(PrintStream out, long total, Supplier<String> stage) {
        this.out = out;
        this.total = total;
        this.stage = stage;
        this.terminal = System.console() != null;
        ReplayProgress.RECORDS.set(0);
        this.thread = new Thread(this::loop, "replay-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long every = terminal ? 1_000 : 10_000;
        while (running) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                out.print(terminal ? "\r" + line() + "   " : line() + System.lineSeparator());
                out.flush();
            }
        }
    }

    /** The current state in one line. */
    public String line() {
        long records = ReplayProgress.RECORDS.get();
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = records / seconds;
        StringBuilder s = new StringBuilder("replay: ");
        s.append(String.format(Locale.ROOT, "%,d", records));
        if (total >= 0) {
            s.append(String.format(Locale.ROOT, " of %,d records (%.0f%%)", total,
                    total == 0 ? 100.0 : 100.0 * Math.min(records, total) / total));
        } else {
            s.append(" records");
        }
        String st = stage.get();
        if (!st.isEmpty()) {
            s.append(", ").append(st);
        }
        s.append(String.format(Locale.ROOT, ", %,.0f records/s", rate));
        if (total > 0 && records > 0 && records < total) {
            s.append(String.format(Locale.ROOT, ", %.0f s left", (total - records) / rate));
        }
        s.append(String.format(Locale.ROOT, ", %.1f s", seconds));
        return s.toString();
    }

    @Override public void close() {
        running = false;
        thread.interrupt();
        if (terminal) {
            out.print("\r" + line() + System.lineSeparator());
        } else {
            out.println(line());
        }
        out.flush();
    }
}
