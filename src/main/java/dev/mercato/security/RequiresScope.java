package dev.mercato.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an endpoint demands of its caller. Checked before the handler runs (403 when missing) and
 * published in the OpenAPI documents as the operation's security requirement.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {

    Scope value();
}
