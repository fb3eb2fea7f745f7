package dev.mercato.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Optional;
import java.util.regex.Pattern;

/** Exact amounts in an ISO 4217 currency, with the currency's minor-unit precision. */
public final class Money {

    /** What an ISO 4217 code looks like; {@link #currency} also checks that it names a currency. */
    public static final String CURRENCY_CODE = "[A-Z]{3}";

    private static final Pattern CODE = Pattern.compile(CURRENCY_CODE);

    private Money() {}

    /** The currency for an upper-case ISO 4217 code, or empty when the code is not one. */
    public static Optional<Currency> currency(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Currency.getInstance(code));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static int minorUnits(Currency currency) {
        return Math.max(currency.getDefaultFractionDigits(), 0);
    }

    /** Whether the amount has no more decimal places than the currency allows (49.99 USD yes, 49.999 no). */
    public static boolean fitsPrecision(BigDecimal amount, Currency currency) {
        return amount.stripTrailingZeros().scale() <= minorUnits(currency);
    }

    /** The amount at the currency's precision, for output (49.9 USD -> 49.90). */
    public static BigDecimal normalize(BigDecimal amount, String currencyCode) {
        return currency(currencyCode)
                .map(currency -> amount.setScale(minorUnits(currency), RoundingMode.UNNECESSARY))
                .orElse(amount);
    }
}
