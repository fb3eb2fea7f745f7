package dev.mercato.dashboard;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dashboard's sign-in ({@code mercato.dashboard.*}).
 *
 * @param maxFailedSignIns wrong passwords in a row after which an account is locked
 * @param lockout how long a locked account refuses sign-ins
 */
@ConfigurationProperties("mercato.dashboard")
@Validated
record DashboardProperties(
        @DefaultValue("5") @Positive int maxFailedSignIns,
        @DefaultValue("15m") @DurationMin(seconds = 1) Duration lockout) {}
