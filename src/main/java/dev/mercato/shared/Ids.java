package dev.mercato.shared;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Opaque, random, URL-safe identifiers with a type prefix ({@code prod_4fK9...}): 24 base62 characters,
 * about 143 bits of randomness, so ids are neither sequential nor guessable.
 */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /**
     * One generator per thread: a shared SecureRandom serialises every request on its lock (measured as
     * the main contention under load). Each is a DRBG seeded from the operating system.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newGenerator);

    private static final int LENGTH = 24;

    /** The prefix of each kind of resource's ids, by the name errors give the kind ("No user with id ..."). */
    private static final Map<String, String> PREFIXES = Map.ofEntries(
            Map.entry("user", "usr"),
            Map.entry("product", "prod"),
            Map.entry("order", "ord"),
            Map.entry("payment", "pay"),
            Map.entry("refund", "re"),
            Map.entry("notification", "ntf"),
            Map.entry("report", "rpt"),
            Map.entry("webhook", "whk"),
            Map.entry("API key", "key"),
            Map.entry("OAuth client", "cli"));

    private Ids() {}

    /**
     * A sentence saying how ids of {@code resource} look, for an id that cannot be one of them (the references'
     * examples {@code usr_123abc} and {@code user_123} are copied as they are); empty for an id of the right shape,
     * which simply does not exist.
     */
    public static String formatHint(String resource, String id) {
        String prefix = PREFIXES.get(resource);
        if (prefix == null || (id.startsWith(prefix + "_") && isBase62(id.substring(prefix.length() + 1)))) {
            return "";
        }
        return " " + Character.toUpperCase(resource.charAt(0)) + resource.substring(1) + " ids are '" + prefix
                + "_' followed by " + LENGTH + " letters and digits; the ids in the API references are examples.";
    }

    private static boolean isBase62(String text) {
        return text.length() == LENGTH && text.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }

    public static String generate(String prefix) {
        return prefix + "_" + randomBase62(LENGTH);
    }

    /**
     * Uniform base62 characters from one call to the generator: each random byte gives six bits, and the two
     * values out of 64 that have no character are skipped (a call per character cost a tenth of a request).
     */
    public static String randomBase62(int length) {
        SecureRandom random = RANDOM.get();
        char[] out = new char[length];
        byte[] bytes = new byte[length + length / 8 + 2];
        int used = bytes.length;
        for (int i = 0; i < length; ) {
            if (used == bytes.length) {
                random.nextBytes(bytes);
                used = 0;
            }
            int sixBits = bytes[used++] & 0x3f;
            if (sixBits < ALPHABET.length) {
                out[i++] = ALPHABET[sixBits];
            }
        }
        return new String(out);
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public static String base62(long value, int width) {
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (rest % ALPHABET.length)];
            rest /= ALPHABET.length;
        }
        return new String(out);
    }
}
