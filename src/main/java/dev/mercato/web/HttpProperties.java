package dev.mercato.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP conventions ({@code mercato.http.*}); public because the published API documents state the limit too.
 *
 * @param maxBodySize the largest request body accepted; a larger one is refused with 413
 */
@ConfigurationProperties("mercato.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBodySize) {

    public HttpProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("mercato.http.max-body-size must be positive, not " + maxBodySize);
        }
    }
}
