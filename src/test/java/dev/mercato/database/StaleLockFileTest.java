package dev.mercato.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The postmaster.pid a crash leaves behind must not keep the embedded database from starting again. */
class StaleLockFileTest {

    @TempDir
    Path dataDirectory;

    @Test
    void lockFileNamingADeadProcessIsRemoved() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path lockFile = plantLockFile(finished.pid());

        StaleLockFile.removeIfOwnerIsGone(dataDirectory);

        assertThat(lockFile).doesNotExist();
    }

    @Test
    void lockFileNamingALiveProcessThatIsNotPostgresIsRemoved() throws Exception {
        // After a crash and a reboot the old postmaster's pid may belong to anything, here this very JVM.
        Path lockFile = plantLockFile(ProcessHandle.current().pid());

        StaleLockFile.removeIfOwnerIsGone(dataDirectory);

        assertThat(lockFile).doesNotExist();
    }

    @Test
    void lockFileNamingAnotherLiveProcessIsRemoved() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Path lockFile = plantLockFile(sleeper.pid());

            StaleLockFile.removeIfOwnerIsGone(dataDirectory);

            assertThat(lockFile).doesNotExist();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void emptyOrGarbledLockFileIsRemoved() throws Exception {
        Path lockFile = dataDirectory.resolve("postmaster.pid");
        Files.writeString(lockFile, "");
        StaleLockFile.removeIfOwnerIsGone(dataDirectory);
        assertThat(lockFile).doesNotExist();

        Files.writeString(lockFile, "not-a-pid\n");
        StaleLockFile.removeIfOwnerIsGone(dataDirectory);
        assertThat(lockFile).doesNotExist();
    }

    @Test
    void noLockFileIsFine() {
        assertThatCode(() -> StaleLockFile.removeIfOwnerIsGone(dataDirectory)).doesNotThrowAnyException();
        assertThat(dataDirectory).isEmptyDirectory();
    }

    @Test
    void otherFilesOfTheDataDirectoryAreLeftAlone() throws Exception {
        Path config = Files.writeString(dataDirectory.resolve("postgresql.conf"), "fsync = on\n");
        plantLockFile(ProcessHandle.current().pid());

        StaleLockFile.removeIfOwnerIsGone(dataDirectory);

        assertThat(config).hasContent("fsync = on");
    }

    /** The first line of postmaster.pid is the postmaster's pid; the rest is what PostgreSQL writes after it. */
    private Path plantLockFile(long pid) throws IOException {
        return Files.writeString(
                dataDirectory.resolve("postmaster.pid"),
                pid + "\n" + dataDirectory + "\n"
                        + "1700000000\n5432\n/tmp\nlocalhost\n  5432001    327680\nready   \n");
    }
}
