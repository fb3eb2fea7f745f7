package dev.mercato.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The folder for local state ({@code mercato.data-dir}): the embedded database and generated keys live in it.
 *
 * @param dataDir the folder for local state: the embedded database lives in its postgres folder, the generated
 *     integrations key beside it; relative to the working directory unless absolute
 */
@ConfigurationProperties(DataDirectory.PREFIX)
public record DataDirectory(@DefaultValue("./data") Path dataDir) {

    static final String PREFIX = "mercato";

    public DataDirectory {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path resolve(String child) {
        return dataDir.resolve(child);
    }
}
