/**
 * The HTTP conventions every API endpoint shares: the error body and the one exception handler, request ids,
 * paging headers, body limits, JSON setup, ETags, merge patches. Nothing about any feature.
 */
@ApplicationModule(
        displayName = "HTTP conventions",
        allowedDependencies = {"shared"})
package dev.mercato.web;

import org.springframework.modulith.ApplicationModule;
