package dev.mercato.ratelimit;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The buckets' store ({@code mercato.rate-limit.store}), there even with the request limits off
 * ({@code mercato.rate-limit.enabled=false}): other allowances ({@link Allowances}, such as the notifications') keep
 * using it.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitStoreConfiguration {

    @Bean
    RateLimitStore rateLimitStore(RateLimitProperties properties, ObjectProvider<DataSource> dataSource) {
        return switch (properties.store()) {
            case MEMORY -> new MemoryRateLimitStore();
            case POSTGRESQL -> new PostgresRateLimitStore(dataSource.getObject());
        };
    }
}
