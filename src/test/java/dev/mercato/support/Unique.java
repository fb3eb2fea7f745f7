package dev.mercato.support;

import java.util.UUID;

/** Random suffixes that keep one test's data apart from every other test's on the shared server. */
final class Unique {

    private Unique() {
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
