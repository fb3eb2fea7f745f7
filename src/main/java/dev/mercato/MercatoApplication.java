package dev.mercato;

import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class MercatoApplication {

    /** The command that resets the dashboard admin's password; the application then runs as a command, not a server. */
    static final String RESET_ADMIN_PASSWORD = "reset-admin-password";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(MercatoApplication.class);
        if (Arrays.asList(args).contains(RESET_ADMIN_PASSWORD)) {
            // The application as configured, but listening nowhere (port -1: no HTTP server) and running no jobs.
            application.setDefaultProperties(Map.of("server.port", "-1", "mercato.jobs.enabled", "false"));
        }
        application.run(args);
    }
}
