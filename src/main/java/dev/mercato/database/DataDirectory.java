package dev.mercato.database;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The folder for local state ({@code mercato.data-dir}, default {@code ./data}). */
@Component
public class DataDirectory {

    private final Path root;

    DataDirectory(@Value("${mercato.data-dir:./data}") Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path resolve(String child) {
        return root.resolve(child);
    }
}
