package dev.mercato.crypto;

import dev.mercato.database.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The keys of the {@link SecretBox}: {@code mercato.encryption-key} (base64 of 32 bytes; its earlier name
 * {@code mercato.integrations.encryption-key} is still read), or else a key generated on the first start and kept
 * in {@code <mercato.data-dir>/integrations.key}, so a single server works with no setup. Servers sharing one
 * database must share the key, which only configuration can do. {@code mercato.encryption-previous-keys} (base64,
 * comma-separated) are keys rotated out: they still open what they sealed, which every start seals again under the
 * current key. A generated key file left in the data directory once a key is configured counts as a previous key.
 */
@Configuration(proxyBeanMethods = false)
class EncryptionKeys {

    static final String PROPERTY = "mercato.encryption-key";
    static final String FORMER_PROPERTY = "mercato.integrations.encryption-key";
    static final String PREVIOUS_PROPERTY = "mercato.encryption-previous-keys";
    static final String FILE = "integrations.key";

    private static final Logger log = LoggerFactory.getLogger(EncryptionKeys.class);

    @Bean
    SecretBox secretBox(Environment environment, DataDirectory dataDirectory) {
        String configured = environment.getProperty(PROPERTY, environment.getProperty(FORMER_PROPERTY, ""));
        Path file = dataDirectory.resolve(FILE);
        byte[] current = configured.isBlank() ? fromFile(file) : decode(configured.strip(), PROPERTY);
        List<byte[]> previous = new ArrayList<>(
                Arrays.stream(environment.getProperty(PREVIOUS_PROPERTY, "").split(","))
                        .map(String::strip)
                        .filter(value -> !value.isEmpty())
                        .map(value -> decode(value, PREVIOUS_PROPERTY))
                        .toList());
        if (!configured.isBlank() && Files.exists(file)) {
            // A key configured where one was generated before: the generated one still opens what it sealed, which
            // this start seals again under the configured key. The file can go once that is done.
            previous.add(fromFile(file));
            log.info("{} is set: {} is read as a previous key", PROPERTY, file);
        }
        return new SecretBox(current, previous);
    }

    static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    source + " is not base64: " + e.getMessage() + " (make one with: openssl rand -base64 32)");
        }
        if (key.length != SecretBox.KEY_BYTES) {
            throw new IllegalStateException(source + " must be the base64 of " + SecretBox.KEY_BYTES
                    + " random bytes; it holds " + key.length + " (make one with: openssl rand -base64 32)");
        }
        return key;
    }

    static byte[] fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            byte[] key = new byte[SecretBox.KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            if (!create(file, Base64.getEncoder().encodeToString(key))) {
                // Another process on this data directory wrote it first: use theirs.
                return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            log.warn(
                    "Generated the key that encrypts the secrets kept in the database and stored it in {} (readable by this user "
                            + "only). Keep it with the database's backups: without it the stored secrets cannot be read. "
                            + "Several servers on one database must share one key: set {} (base64 of 32 bytes) to the same "
                            + "value on each.",
                    file,
                    PROPERTY);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read or create the encryption key " + file + "; set " + PROPERTY + " instead", e);
        }
    }

    /**
     * Writes the key to a temporary file with owner-only permissions, then moves it into place, so no other process
     * ever reads a partly written key; false when the file exists already.
     */
    private static boolean create(Path file, String content) throws IOException {
        Path directory = file.getParent();
        Path temporary = directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(
                        directory,
                        FILE,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, FILE, ".tmp");
        try {
            Files.writeString(temporary, content + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
