package dev.mercato.web;

/** The sentence an invalid field gets: "The 'x' parameter is required." or "... must be ...". */
final class ValidationMessages {

    private ValidationMessages() {}

    static String forField(String name, String constraint, String message, Object rejected) {
        boolean missing = rejected == null
                && ("NotNull".equals(constraint) || "NotBlank".equals(constraint) || "NotEmpty".equals(constraint));
        if (missing) {
            return "The '" + name + "' parameter is required.";
        }
        return "The '" + name + "' parameter " + message + ".";
    }
}
