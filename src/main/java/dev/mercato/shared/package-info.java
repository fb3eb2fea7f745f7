/**
 * The shared kernel: ids, money, paging, SQL helpers and the domain's exception family. No Spring MVC,
 * servlet or HTTP type; every module may use it.
 */
@ApplicationModule(
        displayName = "Shared kernel",
        allowedDependencies = {},
        type = ApplicationModule.Type.OPEN)
package dev.mercato.shared;

import org.springframework.modulith.ApplicationModule;
