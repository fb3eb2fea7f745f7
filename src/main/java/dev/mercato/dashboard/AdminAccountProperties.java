package dev.mercato.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dashboard's admin account ({@code mercato.admin.password}, {@code MERCATO_ADMIN_PASSWORD}).
 *
 * @param password the admin's password, checked by {@link PasswordPolicy} at start; set, it is the admin's password
 *     at every start; unset, one is generated on the first start and printed once
 */
@ConfigurationProperties("mercato.admin")
record AdminAccountProperties(@DefaultValue("") String password) {}
