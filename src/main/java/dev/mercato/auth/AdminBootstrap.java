package dev.mercato.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On the first start with an empty database, creates the bootstrap admin API key: the value of
 * {@code mercato.admin.api-key} when set, else a generated key printed once to the console. Later starts
 * leave it alone (revoke it through the API and issue others).
 */
@Component
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final ApiKeyService keys;
    private final String configuredKey;
    private final boolean jsonConsole;

    AdminBootstrap(ApiKeyService keys, AdminProperties admin, Environment environment) {
        this.keys = keys;
        this.configuredKey = admin.apiKey();
        this.jsonConsole = !environment
                .getProperty("logging.structured.format.console", "")
                .isEmpty();
        if (!configuredKey.isEmpty()
                && (!ApiKeyFormat.looksLikeKey(configuredKey) || !ApiKeyFormat.hasValidChecksum(configuredKey))) {
            throw new IllegalStateException("mercato.admin.api-key must be 32 to 256 URL-safe characters "
                    + "(A-Z, a-z, 0-9, '-', '_'), and may start with 'mk_' only when it is a key Mercato generated");
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        if (keys.bootstrapExists()) {
            return;
        }
        String key = configuredKey.isEmpty() ? ApiKeyFormat.generate() : configuredKey;
        if (!keys.issueBootstrap(key)) {
            return;
        }
        if (configuredKey.isEmpty() && jsonConsole) {
            // A block of text would break a console of JSON lines; one log event carries it instead.
            log.warn("Bootstrap admin API key (shown once, store it now): {}", key);
        } else if (configuredKey.isEmpty()) {
            // Printed once, straight to the console rather than the log files, since it is a secret.
            System.out.println("""

                    ==================================================================
                     Mercato bootstrap admin API key (shown once, store it now):
                       %s
                    ==================================================================
                    """.formatted(key));
        }
        log.info("Created the bootstrap admin API key");
    }
}
