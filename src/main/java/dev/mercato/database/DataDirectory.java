package dev.mercato.database;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The folder for local state ({@code mercato.data-dir}, default {@code ./data}). */
@Component
public class DataDirectory {

    static final String PROPERTY = "mercato.data-dir";
    static final String DEFAULT = "./data";

    private final Path root;

    DataDirectory(@Value("${" + PROPERTY + ":" + DEFAULT + "}") Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path resolve(String child) {
        return root.resolve(child);
    }
}
