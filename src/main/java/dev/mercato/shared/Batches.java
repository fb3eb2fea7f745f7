package dev.mercato.shared;

import java.util.function.IntSupplier;

/** Work done a batch at a time, so that no one statement holds its locks for long. */
public final class Batches {

    private Batches() {}

    /**
     * Runs {@code batch}, which handles at most {@code size} rows and says how many it did, until one does fewer;
     * returns how many it did in all.
     */
    public static int untilDone(int size, IntSupplier batch) {
        int total = 0;
        int done;
        do {
            done = batch.getAsInt();
            total += done;
        } while (done == size);
        return total;
    }
}
