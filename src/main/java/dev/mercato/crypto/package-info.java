/**
 * Installs the native cryptography provider (AWS-LC) where it loads, and seals the secrets kept in the database
 * ({@link dev.mercato.crypto.SecretBox}) under a key kept outside it. Part of the foundation: any module that keeps
 * a secret may use its API, {@link dev.mercato.crypto.SecretBox} and {@link dev.mercato.crypto.SealedValues}.
 */
@ApplicationModule(
        displayName = "Cryptography",
        allowedDependencies = {"database"})
package dev.mercato.crypto;

import org.springframework.modulith.ApplicationModule;
