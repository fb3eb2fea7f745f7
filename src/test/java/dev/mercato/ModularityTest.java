package dev.mercato;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Fails the build when a feature reaches into another's internals or the features form a cycle. */
class ModularityTest {

    @Test
    void featuresRespectTheirBoundaries() {
        ApplicationModules.of(MercatoApplication.class).verify();
    }
}
