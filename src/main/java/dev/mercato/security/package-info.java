/**
 * Who is calling: the {@link dev.mercato.security.Caller} services act for, the scopes a credential holds,
 * and the check of each endpoint's {@link dev.mercato.security.RequiresScope}.
 */
@ApplicationModule(
        displayName = "Caller and scopes",
        allowedDependencies = {"shared", "web"})
package dev.mercato.security;

import org.springframework.modulith.ApplicationModule;
