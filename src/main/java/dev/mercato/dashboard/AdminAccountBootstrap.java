package dev.mercato.dashboard;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Makes sure the dashboard's admin account exists at every start: with {@code mercato.admin.password} when set (a
 * password the policy refuses stops the start, saying why), else with a password generated on the first start and
 * printed once, after the bootstrap admin API key.
 */
@Component
@Order(1)
class AdminAccountBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminAccountBootstrap.class);

    private final DashboardAccounts accounts;
    private final String configured;
    private final boolean jsonConsole;

    AdminAccountBootstrap(DashboardAccounts accounts, AdminAccountProperties admin, Environment environment) {
        this.accounts = accounts;
        this.configured = admin.password();
        this.jsonConsole = !environment
                .getProperty("logging.structured.format.console", "")
                .isEmpty();
        if (!configured.isEmpty()) {
            PasswordPolicy.weakness(configured).ifPresent(weakness -> {
                throw new IllegalStateException("mercato.admin.password (MERCATO_ADMIN_PASSWORD) is refused: "
                        + weakness + ". Unset it to have a password generated and printed once.");
            });
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        if (args.getNonOptionArgs().contains(AdminPasswordReset.COMMAND)) {
            return; // the reset sets the password itself
        }
        Optional<String> generated = accounts.ensureAdmin(configured);
        generated.ifPresent(
                password -> show("Dashboard admin password (user admin; shown once, store it now)", password));
    }

    /** A secret shown once: on the console rather than in the log files, or as one log event on a JSON console. */
    void show(String title, String secret) {
        if (jsonConsole) {
            log.warn("{}: {}", title, secret);
        } else {
            System.out.println("""

                    ==================================================================
                     %s:
                       %s
                    ==================================================================
                    """.formatted(title, secret));
        }
    }
}
