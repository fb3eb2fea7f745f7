package dev.mercato.web;

import java.security.SecureRandom;

/**
 * Opaque, random, URL-safe identifiers with a type prefix ({@code prod_4fK9...}): 24 base62 characters,
 * about 143 bits of randomness, so ids are neither sequential nor guessable.
 */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 24;

    private Ids() {
    }

    public static String generate(String prefix) {
        return prefix + "_" + randomBase62(LENGTH);
    }

    public static String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
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
