package dev.mercato.web;

import java.math.BigDecimal;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Decimal numbers from request bodies (and query parameters that ask), with their exponent bounded. {@code 1e2147483647} is valid JSON
 * and a valid {@link BigDecimal}, but its scale overflows the integer arithmetic of {@code @Digits} (which then
 * lets it through) and of rounding (which then makes it 0). Nothing Mercato stores comes near 1000 digits, so such
 * a number is refused as out of range before any validation or arithmetic sees it.
 */
@Configuration(proxyBeanMethods = false)
public class BoundedDecimals {

    private static final int MAX_SCALE = 1000;

    static boolean inRange(BigDecimal value) {
        return Math.abs((long) value.scale()) <= MAX_SCALE;
    }

    @Bean
    JsonMapperBuilderCustomizer boundedDecimalsJson() {
        return builder -> builder.addModule(
                new SimpleModule("mercato-decimals").addDeserializer(BigDecimal.class, new Deserializer()));
    }

    /** A decimal query parameter, refused as out of range the way a body field is. */
    public static BigDecimal checkQueryParameter(String name, BigDecimal value) {
        if (value != null && !inRange(value)) {
            throw ApiException.invalidParameter(
                    name, "The '" + name + "' parameter is out of range.", name + " (number)");
        }
        return value;
    }

    private static final class Deserializer extends StdScalarDeserializer<BigDecimal> {

        Deserializer() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT) && !parser.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
                return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
            }
            BigDecimal value;
            try {
                value = parser.getDecimalValue();
            } catch (StreamReadException | NumberFormatException e) {
                value = null; // an exponent beyond what BigDecimal can hold
            }
            if (value == null || !inRange(value)) {
                throw new InputCoercionException(
                        parser, "Number out of range", parser.currentToken(), BigDecimal.class);
            }
            return value;
        }
    }
}
