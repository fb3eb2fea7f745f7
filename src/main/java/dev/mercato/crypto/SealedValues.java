package dev.mercato.crypto;

/**
 * What a feature keeps sealed by the {@link SecretBox}: after a key rotation (or for values stored before they were
 * sealed) {@link #sealAgain} seals every one not yet sealed by the current key, each with a conditional write, so
 * several servers starting at once do it safely. Run at every start by {@link Resealing}.
 */
public interface SealedValues {

    /** What these values are, for the log: "integration secrets". */
    String description();

    /** Seals again what is not sealed by the current key; how many values were. */
    int sealAgain();
}
