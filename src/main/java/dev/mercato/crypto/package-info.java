/**
 * Installs the native cryptography provider (AWS-LC) where it loads.
 */
@ApplicationModule(
        displayName = "Cryptography provider",
        allowedDependencies = {})
package dev.mercato.crypto;

import org.springframework.modulith.ApplicationModule;
