package dev.mercato.dashboard;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar mercato.jar reset-admin-password}: gives the dashboard's admin a new password, unlocks the account,
 * prints the password once and exits, on the database the configuration names. {@code MercatoApplication} runs it
 * listening on no port and running no jobs, so it can run beside the servers of an external database.
 */
@Component
@Order(2)
class AdminPasswordReset implements ApplicationRunner {

    static final String COMMAND = "reset-admin-password";

    private final DashboardAccounts accounts;
    private final AdminAccountBootstrap console;
    private final ApplicationContext context;

    AdminPasswordReset(DashboardAccounts accounts, AdminAccountBootstrap console, ApplicationContext context) {
        this.accounts = accounts;
        this.console = console;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!args.getNonOptionArgs().contains(COMMAND)) {
            return;
        }
        console.show("New dashboard admin password (user admin; shown once)", accounts.resetAdminPassword());
        System.exit(SpringApplication.exit(context, () -> 0));
    }
}
