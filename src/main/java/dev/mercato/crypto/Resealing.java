package dev.mercato.crypto;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the server is up, seals again under the current key whatever is still sealed by a previous one, or stored
 * from before it was sealed at all: after a rotation, the previous key can be removed once every server has
 * started with the new one (see docs/security.md).
 */
@Component
class Resealing {

    private static final Logger log = LoggerFactory.getLogger(Resealing.class);

    private final List<SealedValues> sealed;

    Resealing(List<SealedValues> sealed) {
        this.sealed = sealed;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sealAgain() {
        for (SealedValues values : sealed) {
            try {
                int count = values.sealAgain();
                if (count > 0) {
                    log.info("Sealed {} {} again under the current encryption key", count, values.description());
                }
            } catch (RuntimeException e) {
                log.error("Could not seal the {} again under the current key: {}", values.description(), e.toString());
            }
        }
    }
}
