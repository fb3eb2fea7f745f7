package dev.mercato.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash PostgreSQL leaves {@code postmaster.pid} behind. PostgreSQL ignores it when the pid it
 * names is dead, but refuses to start when that pid has since been reused by another process. We remove
 * the file when the pid is not a running postgres, so a server killed without a shutdown starts again.
 */
final class StaleLockFile {

    private static final Logger log = LoggerFactory.getLogger(StaleLockFile.class);

    private StaleLockFile() {
    }

    static void removeIfOwnerIsGone(Path dataDirectory) throws IOException {
        Path lockFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(lockFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(lockFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !isRunningPostgres(lines.get(0).trim())) {
            Files.delete(lockFile);
            log.warn("Removed stale PostgreSQL lock file {} left by an unclean stop", lockFile);
        }
    }

    private static boolean isRunningPostgres(String pid) throws IOException {
        if (!pid.matches("\\d+")) {
            return false;
        }
        Path command = Path.of("/proc", pid, "comm");
        if (!Files.exists(Path.of("/proc/self"))) {
            // No procfs (not Linux): leave the decision to PostgreSQL.
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        }
        return Files.exists(command) && Files.readString(command).trim().startsWith("postgres");
    }
}
