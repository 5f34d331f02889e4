package io.streamglm.job.stream;

import io.streamglm.job.core.JobSetupException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One stream job's checkpoints, in a directory of its own under the checkpoint directory ({@code BASE/GROUP_ID}),
 * so that the same command started again finds the state it left, whatever Flink job id each run had.
 *
 * <p>Flink writes {@code JOB_DIR/FLINK_JOB_ID/chk-N/_metadata} for every completed checkpoint (a checkpoint
 * without {@code _metadata} did not complete) and keeps them when the job is cancelled or fails (the job runs with
 * {@code RETAIN_ON_CANCELLATION}); a process killed outright leaves them too. Beside them, {@code streamglm-job.json}
 * holds what the state depends on (spec, design, window, mode, shards), so a run with another model cannot
 * resume state it would misread. Works through Flink's file systems, so any URI Flink can write serves.
 */
public final class CheckpointStore {
    static final String FINGERPRINT_FILE = "streamglm-job.json";
    private static final String LOCK_FILE = ".lock";
    /** Locks held for the life of the process: a second job on the same directory would corrupt the first's. */
    private static final List<FileLock> HELD = new ArrayList<>();

    private final URI jobDir;

    private CheckpointStore(URI jobDir) {
        this.jobDir = jobDir;
    }

    /** The store of the job with consumer group {@code groupId} under the checkpoint directory {@code base}. */
    public static CheckpointStore of(URI base, String groupId) {
        String b = base.toString();
        return new CheckpointStore(URI.create((b.endsWith("/") ? b : b + "/") + safeName(groupId)));
    }

    /**
     * A {@code --checkpoint-dir} value as a URI Flink accepts: a plain path (relative, absolute or {@code ~/...}) is
     * made absolute with the {@code file} scheme (Flink refuses a path without a scheme at submission, with a long
     * stack trace); a URI is kept as given.
     */
    public static URI normalize(String option) {
        String t = option.trim();
        if (t.isEmpty()) {
            throw new JobSetupException("--checkpoint-dir is empty: give a directory, e.g. --checkpoint-dir"
                    + " /var/lib/streamglm/checkpoints or hdfs:///flink/checkpoints");
        }
        if (t.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            try {
                URI uri = new URI(t);
                if ("file".equals(uri.getScheme()) && (uri.getAuthority() != null || uri.getPath() == null
                        || !uri.getPath().startsWith("/"))) {
                    throw new JobSetupException("--checkpoint-dir " + option + ": a file URI needs an absolute path,"
                            + " e.g. file:///var/lib/streamglm/checkpoints (three slashes)");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new JobSetupException("--checkpoint-dir " + option + " is not a valid URI (" + e.getReason()
                        + "): give a plain path or a URI such as file:///var/lib/streamglm/checkpoints");
            }
        }
        if (t.startsWith("~/") || t.equals("~")) {
            t = System.getProperty("user.home") + t.substring(1);
        }
        return java.nio.file.Path.of(t).toAbsolutePath().normalize().toUri();
    }

    /** The default checkpoint directory: kept across runs of the process, under {@code ~/.streamglm/checkpoints}. */
    public static URI defaultBase() {
        return java.nio.file.Path.of(System.getProperty("user.home"), ".streamglm", "checkpoints").toUri();
    }

    public URI directory() {
        return jobDir;
    }

    /**
     * Creates the directory (a local one, or through the file system of its scheme) and, for a local directory,
     * takes a lock on it held until the process ends; refuses, naming the option and the fix, where that fails.
     */
    public void prepare(boolean local) {
        FileSystem fs = fileSystem();
        String why = null;
        try {
            if (!fs.mkdirs(new Path(jobDir))) {
                why = "the file system refused";
            }
        } catch (IOException e) {
            why = e.getMessage();
        }
        if (why != null) {
            throw new JobSetupException("--checkpoint-dir: cannot create " + jobDir + " (" + why + "): give a directory"
                    + " this process may write, e.g. --checkpoint-dir ~/.streamglm/checkpoints");
        }
        if (local && "file".equals(jobDir.getScheme())) {
            lock();
        }
    }

    private void lock() {
        java.nio.file.Path lockFile = java.nio.file.Path.of(jobDir).resolve(LOCK_FILE);
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new JobSetupException("another streamglm stream is running on " + jobDir + ": stop it first,"
                        + " or give this one another --group-id");
            }
            synchronized (HELD) {
                HELD.add(lock);
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            throw new JobSetupException("cannot lock " + lockFile + " (" + e + "): is another streamglm stream"
                    + " running with --group-id and --checkpoint-dir of this one?");
        }
    }

    /** The newest completed checkpoint or savepoint under this job's directory. */
    public Optional<Restorable> newest() {
        FileSystem fs = fileSystem();
        Restorable best = null;
        try {
            Path root = new Path(jobDir);
            if (!fs.exists(root)) {
                return Optional.empty();
            }
            for (FileStatus run : list(fs, root)) {
                if (!run.isDir()) {
                    continue;
                }
                for (FileStatus point : list(fs, run.getPath())) {
                    String name = point.getPath().getName();
                    if (!point.isDir() || !(name.startsWith("chk-") || name.startsWith("savepoint-"))) {
                        continue;
                    }
                    Path metadata = new Path(point.getPath(), "_metadata");
                    if (!fs.exists(metadata)) {
                        continue; // not completed: Flink writes _metadata last
                    }
                    FileStatus m = fs.getFileStatus(metadata);
                    if (m.getLen() == 0) {
                        continue;
                    }
                    Restorable r = new Restorable(point.getPath().toUri().toString(), m.getModificationTime(),
                            run.getPath().getName());
                    if (best == null || r.modifiedMillis() > best.modifiedMillis()) {
                        best = r;
                    }
                }
            }
        } catch (IOException e) {
            throw new JobSetupException("cannot read the checkpoints in " + jobDir + " (" + e.getMessage()
                    + "): fix its permissions, or resume from a given one with --resume-from PATH");
        }
        return Optional.ofNullable(best);
    }

    /**
     * Removes the runs older than the one being resumed: their checkpoints are superseded by it, and Flink keeps a
     * job's checkpoints only while that job runs.
     */
    public void removeSuperseded(Restorable kept) {
        FileSystem fs = fileSystem();
        try {
            for (FileStatus run : list(fs, new Path(jobDir))) {
                String name = run.getPath().getName();
                if (run.isDir() && !name.equals(kept.run()) && name.matches("[0-9a-f]{32}")) {
                    fs.delete(run.getPath(), true);
                }
            }
        } catch (IOException e) {
            // Old checkpoints left behind cost disk space only; resuming does not depend on removing them.
        }
    }

    /** The fingerprint of the job that wrote this directory's state, if it wrote one. */
    public Optional<String> fingerprint() {
        FileSystem fs = fileSystem();
        Path f = new Path(new Path(jobDir), FINGERPRINT_FILE);
        try {
            if (!fs.exists(f)) {
                return Optional.empty();
            }
            try (var in = fs.open(f)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void writeFingerprint(String fingerprint) {
        FileSystem fs = fileSystem();
        Path f = new Path(new Path(jobDir), FINGERPRINT_FILE);
        try (var out = fs.create(f, FileSystem.WriteMode.OVERWRITE)) {
            out.write(fingerprint.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JobSetupException("cannot write " + f + " (" + e.getMessage() + "): give a --checkpoint-dir"
                    + " this process may write");
        }
    }

    /** Checks that a {@code --resume-from} path holds a completed checkpoint or savepoint. */
    public static String checkRestorable(String option) {
        URI uri = normalize(option);
        try {
            FileSystem fs = FileSystem.get(uri);
            Path p = new Path(uri);
            Path metadata = p.getName().equals("_metadata") ? p : new Path(p, "_metadata");
            if (!fs.exists(metadata)) {
                throw new JobSetupException("--resume-from " + option + ": no _metadata there, so it is no completed"
                        + " checkpoint or savepoint: give a chk-N or savepoint-... directory");
            }
            return (p.getName().equals("_metadata") ? p.getParent() : p).toUri().toString();
        } catch (IOException e) {
            throw new JobSetupException("--resume-from " + option + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private FileSystem fileSystem() {
        try {
            return FileSystem.get(jobDir);
        } catch (IOException e) {
            throw new JobSetupException("--checkpoint-dir " + jobDir + ": no file system for scheme '"
                    + jobDir.getScheme() + "' in this process (" + firstLine(e.getMessage()) + "): give a plain path"
                    + " or file:///..., or add Flink's plugin for that file system");
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] s = fs.listStatus(dir);
        return s == null ? new FileStatus[0] : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unsupported";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A group id as one path segment. */
    static String safeName(String groupId) {
        return groupId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * A completed checkpoint or savepoint to restore: its directory, when its metadata was written and the run
     * (Flink job id directory) that wrote it.
     */
    public record Restorable(String path, long modifiedMillis, String run) {
    }
}
