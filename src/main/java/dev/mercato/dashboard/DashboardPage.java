package dev.mercato.dashboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of dashboard pages: its failures are shown as pages of the dashboard ({@link DashboardPages}),
 * where the API's controllers, this module's included, answer the API's JSON error body.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface DashboardPage {}
