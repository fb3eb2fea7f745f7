package dev.mercato.security;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Password sign-ins, to the dashboard and to the OAuth sign-in page ({@code mercato.sign-in.*}).
 *
 * @param maxFailures wrong passwords in a row, within {@code lockout} of each other, after which an account is locked
 * @param maxFailuresPerAddress failed sign-ins from one client address, to any accounts, within {@code lockout} of
 *     each other, after which that address is refused
 * @param lockout how long a locked account or address is refused, and how long a failure is remembered
 */
@ConfigurationProperties("mercato.sign-in")
@Validated
record SignInProperties(
        @DefaultValue("5") @Positive int maxFailures,
        @DefaultValue("50") @Positive int maxFailuresPerAddress,
        @DefaultValue("15m") @DurationMin(seconds = 1) Duration lockout) {}
