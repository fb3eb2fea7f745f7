package dev.mercato.dashboard;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a dashboard password must be: at least 12 characters, at least 3 of the 4 kinds (lower case, upper case,
 * digits, others) unless it is 20 characters or more (a passphrase), and none of the passwords or words every
 * guessing list starts with.
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int PASSPHRASE_LENGTH = 20;

    private static final Set<String> COMMON = Set.of(
            "password",
            "passw0rd",
            "123456",
            "12345678",
            "123456789",
            "qwerty",
            "letmein",
            "welcome",
            "admin",
            "mercato",
            "changeme",
            "iloveyou",
            "abc123",
            "111111",
            "monkey",
            "dragon",
            "secret");

    private PasswordPolicy() {}

    /** Why the password is refused, or empty when it is acceptable. */
    static Optional<String> weakness(String password) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("it must be at least " + MIN_LENGTH + " characters long");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        for (String common : COMMON) {
            if (lower.contains(common)) {
                return Optional.of("it must not contain a common password or word such as '" + common + "'");
            }
        }
        if (password.chars().distinct().count() < 6) {
            return Optional.of("it must have at least 6 different characters");
        }
        if (password.length() < PASSPHRASE_LENGTH && kinds(password) < 3) {
            return Optional.of("it must mix at least 3 of lower case, upper case, digits and other characters, or be "
                    + PASSPHRASE_LENGTH + " characters or more");
        }
        return Optional.empty();
    }

    private static int kinds(String password) {
        boolean lower = password.chars().anyMatch(Character::isLowerCase);
        boolean upper = password.chars().anyMatch(Character::isUpperCase);
        boolean digit = password.chars().anyMatch(Character::isDigit);
        boolean other = password.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }
}
