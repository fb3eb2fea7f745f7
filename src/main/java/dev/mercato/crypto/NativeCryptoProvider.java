package dev.mercato.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Makes AWS-LC (through the Amazon Corretto Crypto Provider) the first JCA provider before anything signs, hashes
 * or draws random numbers, when {@code mercato.crypto.native-provider} is on (the default) and its native library
 * loads and passes its self-tests on this machine. An RS256 signature then costs about a third of the JDK's, which
 * is what bounds token issuance. Where the library does not load (another CPU architecture, a restricted
 * temporary directory) the JDK's providers stay, with a warning: slower, never different.
 */
public class NativeCryptoProvider implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(NativeCryptoProvider.class);

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!Binder.get(context.getEnvironment())
                .bindOrCreate(CryptoProperties.PREFIX, CryptoProperties.class)
                .nativeProvider()) {
            return;
        }
        install();
    }

    static synchronized void install() {
        AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
        if (java.security.Security.getProviders()[0] == provider) {
            return;
        }
        Throwable error = provider.getLoadingError();
        if (error == null) {
            try {
                provider.assertHealthy();
            } catch (RuntimeException e) {
                error = e;
            }
        }
        if (error != null) {
            log.warn("Using the JDK's cryptography: the native provider is unavailable here ({})", error.toString());
            return;
        }
        AmazonCorrettoCryptoProvider.install();
        log.info("Cryptography by {} {}", provider.getName(), provider.getVersionStr());
    }
}
