package dev.mercato.integrations;

import dev.mercato.integrations.Catalogue.Definition;
import dev.mercato.integrations.Catalogue.Setting;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.JsonTypes;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks the JSON bodies of the integrations API, naming the field at fault as the rest of the API does. */
final class SettingsValidator {

    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]+]?");
    private static final int MAX_TEXT = 500;
    private static final int MAX_SECRET = 4096;

    private SettingsValidator() {}

    /** The body must be a JSON object whose fields all belong to {@code definition}. */
    static void checkFields(SettingsBody body, Definition definition) {
        requireObject(body);
        for (String name : body.names()) {
            if (definition.setting(name).isEmpty()) {
                throw unknownField(body, name);
            }
        }
    }

    static void requireObject(SettingsBody body) {
        if (!body.isObject()) {
            throw new InvalidRequestException("MALFORMED_JSON", "The request body must be a JSON object.", "");
        }
    }

    static DomainException unknownField(SettingsBody body, String name) {
        return new InvalidRequestException(
                "UNKNOWN_FIELD",
                "The field '" + name + "' is not part of this request.",
                name + " (" + JsonTypes.of(body.get(name)) + ")");
    }

    /** The value of a non-null setting, typed as it is stored; throws 400 when it is not valid. */
    static Object value(Setting setting, Object node) {
        String name = setting.name();
        return switch (setting.kind()) {
            case PORT -> {
                if (!(node instanceof Integer || node instanceof Long || node instanceof BigInteger)) {
                    throw typeError(name, "integer");
                }
                if (!(node instanceof Integer port) || port < 1 || port > 65_535) {
                    throw invalid(name, "integer", "must be between 1 and 65535");
                }
                yield port;
            }
            case BOOLEAN -> {
                if (!(node instanceof Boolean flag)) {
                    throw typeError(name, "boolean");
                }
                yield flag;
            }
            case HOST -> {
                String host = text(name, node, 253);
                if (!HOST.matcher(host).matches()
                        && !(host.contains(":") && IPV6.matcher(host).matches())) {
                    throw invalid(name, "string", "must be a host name or IP address");
                }
                yield host;
            }
            case URL -> url(name, text(name, node, 2000));
            case MAILBOX -> mailbox(name, text(name, node, 320));
            case PHONE -> phone(name, text(name, node, 16));
            case TEXT -> text(name, node, MAX_TEXT);
            // Not stripped: spaces at either end can be part of a password.
            case SECRET -> {
                text(name, node, MAX_SECRET);
                yield node;
            }
        };
    }

    static String url(String name, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute()
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null) {
                throw invalid(name, "string", "must be an absolute http or https URL without credentials");
            }
            return value;
        } catch (URISyntaxException e) {
            throw invalid(name, "string", "must be an absolute http or https URL without credentials");
        }
    }

    /** An email address, optionally with a display name ({@code Shop <no-reply@example.com>}). */
    static String mailbox(String name, String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            String email = address.getAddress();
            int at = email == null ? -1 : email.indexOf('@');
            if (at <= 0 || at == email.length() - 1) {
                throw invalid(name, "string", "must be an email address");
            }
            return value;
        } catch (AddressException e) {
            throw invalid(name, "string", "must be an email address");
        }
    }

    /** A bare email address, as a test email is sent to. */
    static String email(String name, String value) {
        mailbox(name, value);
        if (value.contains("<") || value.contains(" ")) {
            throw invalid(name, "string", "must be an email address");
        }
        return value;
    }

    static String phone(String name, String value) {
        if (!E164.matcher(value).matches()) {
            throw invalid(name, "string", "must be a phone number in E.164 form, such as +14155550123");
        }
        return value;
    }

    static String text(String name, Object node, int maxLength) {
        if (!(node instanceof String value)) {
            throw typeError(name, "string");
        }
        if (value.isBlank()) {
            throw invalid(name, "string", "must not be blank");
        }
        if (value.length() > maxLength) {
            throw invalid(name, "string", "must be at most " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(name, "string", "must not contain control characters");
        }
        return value.strip();
    }

    /** A required field of a request body. */
    static Object required(SettingsBody body, String name, String type) {
        Object node = body.get(name);
        if (node == null) {
            throw InvalidRequestException.parameter(
                    name, "The '" + name + "' parameter is required.", name + " (" + type + ")");
        }
        return node;
    }

    static void onlyFields(SettingsBody body, Map<String, String> allowed) {
        for (String name : body.names()) {
            if (!allowed.containsKey(name)) {
                throw unknownField(body, name);
            }
        }
    }

    private static DomainException typeError(String name, String type) {
        return InvalidRequestException.parameter(
                name, "The '" + name + "' parameter must be of type " + type + ".", name + " (" + type + ")");
    }

    private static DomainException invalid(String name, String type, String rule) {
        return InvalidRequestException.parameter(
                name, "The '" + name + "' parameter " + rule + ".", name + " (" + type + ")");
    }
}
